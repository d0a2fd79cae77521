using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Cdrs;

/// <summary>CDRs in the store, indexed for the searches the panel and reports make.</summary>
public sealed class LiteDbCdrStore : ICdrStore
{
    private readonly ILiteCollection<Cdr> _collection;

    public LiteDbCdrStore(HotlineStore store)
    {
        _collection = store.Collection<Cdr>("cdrs");
        _collection.EnsureIndex(c => c.Start);
        _collection.EnsureIndex(c => c.Caller);
        _collection.EnsureIndex(c => c.Callee);
        _collection.EnsureIndex(c => c.CallId);
    }

    public void Add(Cdr cdr)
    {
        cdr.CallId = HotlineStore.Indexable(cdr.CallId);
        cdr.Caller = HotlineStore.Indexable(cdr.Caller);
        cdr.Callee = HotlineStore.Indexable(cdr.Callee);
        _collection.Insert(cdr);
    }

    public Cdr? Get(string id) => _collection.FindById(id);

    public IReadOnlyList<Cdr> Search(CdrQuery q) =>
        Filter(q).OrderByDescending(c => c.Start).Skip(q.Skip).Limit(q.Limit).ToList();

    public int Count(CdrQuery q) => Filter(q).Count();

    private ILiteQueryable<Cdr> Filter(CdrQuery q)
    {
        var query = _collection.Query();
        if (q.From is { } from) query = query.Where(c => c.Start >= from);
        if (q.To is { } to) query = query.Where(c => c.Start < to);
        // Text, not a pattern: string.Contains becomes LIKE, where '%' and '_' are wildcards (and "%2e" never returned).
        if (q.Number is { Length: > 0 } n) query = query.Where("INDEXOF($.Caller, @0) >= 0 OR INDEXOF($.Callee, @0) >= 0", new BsonValue(n));
        if (q.Extension is { Length: > 0 } e) query = query.Where(c => c.Extension == e || c.Caller == e || c.Callee == e);
        if (q.Trunk is { Length: > 0 } t) query = query.Where(c => c.InboundTrunk == t || c.OutboundTrunk == t);
        if (q.Disposition is { } d) query = query.Where(c => c.Disposition == d);
        return query;
    }
}
