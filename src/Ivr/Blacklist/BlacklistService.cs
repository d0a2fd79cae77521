using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Blacklist;

/// <summary>
/// The blacklist: entries in the store, looked up by the caller's number for every call that enters a
/// hotline or passes a blacklist node. An exact entry beats a prefix, a longer prefix a shorter one; a
/// scoped entry (one hotline) beats a global one at the same strength. Each match counts a hit and the
/// time, in the store, so the panel can show who keeps calling.
/// </summary>
public sealed class BlacklistService
{
    static BlacklistService() => Storage.LiteDbMappers.Warm<EntryDocument>();

    private readonly ILiteCollection<EntryDocument> _entries;
    private readonly TimeProvider _time;
    private readonly object _hitLock = new();

    public BlacklistService(HotlineStore store, TimeProvider time)
    {
        _entries = store.Collection<EntryDocument>("ivr_blacklist");
        _entries.EnsureIndex(e => e.Number);
        _entries.EnsureIndex(e => e.Kind);
        _time = time;
    }

    public IReadOnlyList<BlacklistEntry> List() => _entries.FindAll().Select(d => d.ToEntry()).OrderBy(e => e.Created).ToList();

    public BlacklistEntry? Get(string id) => _entries.FindById(id)?.ToEntry();

    /// <summary>Adds or replaces an entry; the number is stored in national form. Returns the entry as stored.</summary>
    public BlacklistEntry Save(BlacklistEntry entry)
    {
        var stored = entry with
        {
            Id = string.IsNullOrEmpty(entry.Id) ? Guid.NewGuid().ToString("N") : entry.Id,
            Number = entry.Kind == BlacklistKind.Anonymous ? "" : entry.Kind == BlacklistKind.Exact ? CallerNumbers.Normalise(entry.Number) : PrefixDigits(entry.Number),
            Created = entry.Created == default ? _time.GetUtcNow() : entry.Created,
        };
        IvrValidationException.ThrowIfAny(stored.Problems());
        var existing = _entries.FindById(stored.Id);
        if (existing is not null) stored = stored with { Hits = existing.Hits, LastHit = Time(existing.LastHitMs) };
        _entries.Upsert(EntryDocument.From(stored));
        return stored;
    }

    public bool Delete(string id) => _entries.Delete(id);

    /// <summary>The entry that applies to <paramref name="caller"/> calling <paramref name="scope"/> now, without counting a hit.</summary>
    public BlacklistEntry? Find(string? caller, string? scope = null)
    {
        var now = _time.GetUtcNow();
        var candidates = new List<BlacklistEntry>();
        if (CallerNumbers.IsAnonymous(caller))
        {
            candidates.AddRange(_entries.Find(e => e.Kind == (int)BlacklistKind.Anonymous).Select(d => d.ToEntry()));
        }
        else
        {
            var number = CallerNumbers.Normalise(caller);
            candidates.AddRange(_entries.Find(e => e.Number == number && e.Kind == (int)BlacklistKind.Exact).Select(d => d.ToEntry()));
            candidates.AddRange(_entries.Find(e => e.Kind == (int)BlacklistKind.Prefix).Select(d => d.ToEntry())
                .Where(e => number.StartsWith(e.Number, StringComparison.Ordinal)));
        }
        return candidates
            .Where(e => !e.Expired(now) && (e.Scope is null || e.Scope == scope))
            .OrderByDescending(e => e.Kind == BlacklistKind.Exact ? int.MaxValue : e.Number.Length)
            .ThenByDescending(e => e.Scope is not null)
            .FirstOrDefault();
    }

    /// <summary>Like <see cref="Find"/>, and counts the hit on the entry found.</summary>
    public BlacklistEntry? Check(string? caller, string? scope = null)
    {
        var entry = Find(caller, scope);
        if (entry is null) return null;
        var now = _time.GetUtcNow();
        lock (_hitLock)
        {
            var doc = _entries.FindById(entry.Id);
            if (doc is null) return entry;
            doc.Hits++;
            doc.LastHitMs = now.ToUnixTimeMilliseconds();
            _entries.Update(doc);
            return doc.ToEntry();
        }
    }

    private static string PrefixDigits(string prefix)
    {
        var trimmed = prefix.Trim().TrimEnd('*');
        // A prefix written internationally (+86755…) is stored nationally like numbers (0755…).
        return trimmed.StartsWith('+') || trimmed.StartsWith("0086", StringComparison.Ordinal) ? CallerNumbers.Normalise(trimmed) : new string(trimmed.Where(char.IsAsciiDigit).ToArray());
    }

    // Times are kept as Unix milliseconds: LiteDB hands DateTime values back in the machine's local time.
    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class EntryDocument
    {
        [BsonId] public string Id { get; set; } = "";
        public int Kind { get; set; }
        public string Number { get; set; } = "";
        public int Action { get; set; }
        public int Status { get; set; }
        public string? NoticePrompt { get; set; }
        public string? Mailbox { get; set; }
        public string? Scope { get; set; }
        public string Reason { get; set; } = "";
        public long CreatedMs { get; set; }
        public long? ExpiresAtMs { get; set; }
        public long Hits { get; set; }
        public long? LastHitMs { get; set; }

        public BlacklistEntry ToEntry() => new()
        {
            Id = Id, Kind = (BlacklistKind)Kind, Number = Number ?? "", Action = (BlacklistAction)Action, Status = Status,
            NoticePrompt = NoticePrompt, Mailbox = Mailbox, Scope = Scope, Reason = Reason ?? "", Created = Time(CreatedMs)!.Value,
            ExpiresAt = Time(ExpiresAtMs), Hits = Hits, LastHit = Time(LastHitMs),
        };

        public static EntryDocument From(BlacklistEntry e) => new()
        {
            Id = e.Id, Kind = (int)e.Kind, Number = e.Number, Action = (int)e.Action, Status = e.Status, NoticePrompt = e.NoticePrompt,
            Mailbox = e.Mailbox, Scope = e.Scope, Reason = e.Reason, CreatedMs = e.Created.ToUnixTimeMilliseconds(), ExpiresAtMs = e.ExpiresAt?.ToUnixTimeMilliseconds(),
            Hits = e.Hits, LastHitMs = e.LastHit?.ToUnixTimeMilliseconds(),
        };
    }
}
