using System.Linq.Expressions;

namespace Hotline.Switch.Api;

/// <summary>
/// Documents of the layers above the switch (panel users, audit log, API tokens, settings) kept in the
/// switch's store, so one store holds the whole state and one backup covers it. A document type has a
/// string property <c>Id</c>.
/// </summary>
public interface IDocumentStore
{
    IDocumentCollection<T> Collection<T>(string name) where T : class;

    /// <summary>Runs several writes as one transaction.</summary>
    void InTransaction(Action work);
}

public interface IDocumentCollection<T> where T : class
{
    T? Find(string id);

    /// <summary>Documents matching <paramref name="filter"/> (all when null), newest first by <paramref name="orderByDescending"/> when given.</summary>
    IReadOnlyList<T> Search(Expression<Func<T, bool>>? filter = null, Expression<Func<T, object>>? orderByDescending = null, int skip = 0, int limit = int.MaxValue);

    int Count(Expression<Func<T, bool>>? filter = null);

    void Upsert(T document);

    bool Delete(string id);

    void EnsureIndex<TKey>(Expression<Func<T, TKey>> key);
}
