using Hotline.Switch.Api;

namespace Hotline.Admin.Audit;

/// <summary>One field changed by an audited action; passwords and secrets are written as "changed", never their value.</summary>
public sealed class AuditChange
{
    public string Field { get; set; } = "";
    public string? Old { get; set; }
    public string? New { get; set; }
}

/// <summary>Who did what to what, when, from where, and which values changed.</summary>
public sealed class AuditEntry
{
    public string Id { get; set; } = "";
    public DateTimeOffset Time { get; set; }
    public string Actor { get; set; } = "";
    /// <summary>e.g. "extension.create", "user.password", "login.failed", "backup.restore".</summary>
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Address { get; set; }
    public List<AuditChange> Changes { get; set; } = [];
}

/// <summary>A search of the audit log; null fields don't filter.</summary>
public sealed record AuditQuery(DateTimeOffset? From = null, DateTimeOffset? To = null, string? Actor = null, string? Action = null, int Skip = 0, int Limit = 100);

/// <summary>The audit log, in the store ("audit" collection), append-only.</summary>
public sealed class AuditLog
{
    public const string Masked = "changed";
    private readonly IDocumentCollection<AuditEntry> _entries;
    private readonly TimeProvider _time;

    public AuditLog(IDocumentStore store, TimeProvider time)
    {
        _entries = store.Collection<AuditEntry>("audit");
        _entries.EnsureIndex(e => e.Time);
        _time = time;
    }

    public AuditEntry Write(string actor, string action, string target, IEnumerable<AuditChange>? changes = null, string? address = null)
    {
        var entry = new AuditEntry
        {
            Id = Guid.NewGuid().ToString("N"), Time = _time.GetUtcNow(), Actor = actor, Action = action, Target = target, Address = address,
            Changes = changes?.ToList() ?? [],
        };
        _entries.Upsert(entry);
        return entry;
    }

    public IReadOnlyList<AuditEntry> Search(AuditQuery q) =>
        _entries.Search(Filter(q), e => e.Time, q.Skip, Math.Clamp(q.Limit, 1, 1000)).Select(Clean).ToList();

    public int Count(AuditQuery q) => _entries.Count(Filter(q));

    private static System.Linq.Expressions.Expression<Func<AuditEntry, bool>> Filter(AuditQuery q)
    {
        var from = q.From ?? DateTimeOffset.MinValue;
        var to = q.To ?? DateTimeOffset.MaxValue;
        var actor = q.Actor is { Length: > 0 } a ? a : null;
        var action = q.Action is { Length: > 0 } x ? x : null;
        if (actor is not null && action is not null) return e => e.Time >= from && e.Time < to && e.Actor == actor && e.Action.StartsWith(action);
        if (actor is not null) return e => e.Time >= from && e.Time < to && e.Actor == actor;
        if (action is not null) return e => e.Time >= from && e.Time < to && e.Action.StartsWith(action);
        return e => e.Time >= from && e.Time < to;
    }

    /// <summary>The store gives back empty strings as null.</summary>
    private static AuditEntry Clean(AuditEntry e)
    {
        e.Actor ??= "";
        e.Action ??= "";
        e.Target ??= "";
        e.Changes ??= [];
        foreach (var c in e.Changes) c.Field ??= "";
        return e;
    }

    /// <summary>The fields whose values differ between two snapshots (field → value), for an update's audit entry.</summary>
    public static List<AuditChange> Diff(IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after)
    {
        var changes = new List<AuditChange>();
        foreach (var key in before.Keys.Union(after.Keys))
        {
            before.TryGetValue(key, out var o);
            after.TryGetValue(key, out var n);
            if (o != n) changes.Add(new AuditChange { Field = key, Old = o, New = n });
        }
        return changes;
    }
}
