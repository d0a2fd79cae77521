using System.Linq.Expressions;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Api;

/// <summary><see cref="IDocumentStore"/> over the LiteDB store; LiteDB types stay inside the switch assembly.</summary>
public sealed class LiteDbDocumentStore(HotlineStore store) : IDocumentStore
{
    public IDocumentCollection<T> Collection<T>(string name) where T : class => new LiteDbDocumentCollection<T>(store.Collection<T>(name));

    public void InTransaction(Action work) => store.InTransaction(work);

    private sealed class LiteDbDocumentCollection<T>(ILiteCollection<T> collection) : IDocumentCollection<T> where T : class
    {
        public T? Find(string id) => collection.FindById(id);

        public IReadOnlyList<T> Search(Expression<Func<T, bool>>? filter, Expression<Func<T, object>>? orderByDescending, int skip, int limit)
        {
            var query = collection.Query();
            if (filter is not null) query = query.Where(filter);
            var ordered = orderByDescending is null ? query : query.OrderByDescending(orderByDescending);
            return ordered.Skip(skip).Limit(limit).ToList();
        }

        public int Count(Expression<Func<T, bool>>? filter) => filter is null ? collection.Count() : collection.Count(filter);

        public void Upsert(T document) => collection.Upsert(document);

        public bool Delete(string id) => collection.Delete(id);

        public void EnsureIndex<TKey>(Expression<Func<T, TKey>> key) => collection.EnsureIndex(key);
    }
}
