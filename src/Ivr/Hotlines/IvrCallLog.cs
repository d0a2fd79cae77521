using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Hotlines;

/// <summary>One call that entered a hotline or a flow: who called (every caller's number is kept), when, and what happened.</summary>
public sealed record IvrCallRecord
{
    public string CallId { get; init; } = "";
    public string Caller { get; init; } = "";
    public string Dialled { get; init; } = "";
    public string? Hotline { get; init; }
    public string? Period { get; init; }
    public string? Destination { get; init; }
    public bool Blacklisted { get; init; }
    public string? Flow { get; init; }
    public IReadOnlyList<string> Path { get; init; } = [];
    public string Outcome { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}

/// <summary>The IVR call log in the store, newest first; for reports and for finding a caller's history.</summary>
public sealed class IvrCallLog
{
    static IvrCallLog() => Storage.LiteDbMappers.Warm<Row>();

    private readonly ILiteCollection<Row> _rows;

    public IvrCallLog(HotlineStore store)
    {
        _rows = store.Collection<Row>("ivr_calls");
        _rows.EnsureIndex(r => r.StartMs);
        _rows.EnsureIndex(r => r.Caller);
    }

    public void Add(IvrCallRecord record) => _rows.Insert(new Row
    {
        CallId = record.CallId, Caller = HotlineStore.Indexable(record.Caller), Dialled = record.Dialled, Hotline = record.Hotline, Period = record.Period,
        Destination = record.Destination, Blacklisted = record.Blacklisted, Flow = record.Flow, Path = record.Path.ToList(), Outcome = record.Outcome,
        StartMs = record.Start.ToUnixTimeMilliseconds(), EndMs = record.End.ToUnixTimeMilliseconds(),
    });

    /// <summary>Calls from newest to oldest, optionally of one caller.</summary>
    public IReadOnlyList<IvrCallRecord> Recent(int limit = 100, string? caller = null)
    {
        var query = _rows.Query();
        if (caller is not null) query = query.Where(r => r.Caller == caller);
        return query.OrderByDescending(r => r.StartMs).Limit(limit).ToList().Select(r => new IvrCallRecord
        {
            CallId = r.CallId, Caller = r.Caller ?? "", Dialled = r.Dialled ?? "", Hotline = r.Hotline, Period = r.Period, Destination = r.Destination,
            Blacklisted = r.Blacklisted, Flow = r.Flow, Path = r.Path ?? [], Outcome = r.Outcome ?? "",
            Start = DateTimeOffset.FromUnixTimeMilliseconds(r.StartMs), End = DateTimeOffset.FromUnixTimeMilliseconds(r.EndMs),
        }).ToList();
    }

    private sealed class Row
    {
        public ObjectId Id { get; set; } = ObjectId.NewObjectId();
        public string CallId { get; set; } = "";
        public string Caller { get; set; } = "";
        public string Dialled { get; set; } = "";
        public string? Hotline { get; set; }
        public string? Period { get; set; }
        public string? Destination { get; set; }
        public bool Blacklisted { get; set; }
        public string? Flow { get; set; }
        public List<string> Path { get; set; } = [];
        public string Outcome { get; set; } = "";
        public long StartMs { get; set; }
        public long EndMs { get; set; }
    }
}
