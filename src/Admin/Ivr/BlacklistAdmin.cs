using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Storage;

namespace Hotline.Admin.Ivr;

/// <summary>
/// The blacklist through the panel and the API: exact numbers, prefixes and anonymous callers, each with an
/// action (reject with a status, a notice, voicemail), an optional expiry and scope, and the hits counted by
/// calls. Supervisors (班长) keep it; every change is audited.
/// </summary>
public sealed class BlacklistAdmin(IvrServices ivr, AuditLog audit, TimeProvider time)
{
    private static readonly string[] s_counters = ["hits", "lastHit", "created", "id"];

    public IReadOnlyList<BlacklistEntry> List() => ivr.Blacklist.List();

    public BlacklistEntry? Get(string id) => ivr.Blacklist.Get(id);

    /// <summary>The entry a call from <paramref name="number"/> (to hotline <paramref name="scope"/>) would meet now.</summary>
    public BlacklistEntry? Check(string number, string? scope) => ivr.Blacklist.Find(number, scope);

    public Outcome<BlacklistEntry> Save(BlacklistEntry input, string? id, Actor actor)
    {
        var existing = id is null ? null : ivr.Blacklist.Get(id);
        if (id is not null && existing is null) return Outcome<BlacklistEntry>.NotFound();
        var wanted = input with
        {
            Id = id ?? "", Number = input.Number?.Trim() ?? "", Reason = input.Reason?.Trim() ?? "",
            NoticePrompt = string.IsNullOrWhiteSpace(input.NoticePrompt) ? null : input.NoticePrompt.Trim(),
            Mailbox = string.IsNullOrWhiteSpace(input.Mailbox) ? null : input.Mailbox.Trim(),
            Scope = string.IsNullOrWhiteSpace(input.Scope) ? null : input.Scope.Trim(),
            Created = existing?.Created ?? default, Hits = 0, LastHit = null,
        };
        var problems = new List<string>();
        if (wanted.ExpiresAt is { } e && e <= time.GetUtcNow()) problems.Add("expiresAt must be in the future");
        if (wanted.Mailbox is { } m && !ivr.Voicemail.MailboxExists(m)) problems.Add($"mailbox '{m}' does not exist");
        if (wanted.Scope is { } s && ivr.Hotlines.Get(s) is null) problems.Add($"scope '{s}' names no hotline");
        if (wanted.Action == BlacklistAction.Voicemail && wanted.Mailbox is null && wanted.Scope is { } h && ivr.Hotlines.Get(h) is { Mailbox: null })
            problems.Add($"mailbox is needed: hotline {h} has no mailbox of its own");
        if (wanted.Kind != BlacklistKind.Anonymous && wanted.Number.Length > 0 && Duplicate(wanted) is { } other)
            problems.Add($"number {other.Number} is listed already ({other.Kind.ToString().ToLowerInvariant()}, {other.Action.ToString().ToLowerInvariant()})");
        BlacklistEntry stored;
        try
        {
            IvrValidationException.ThrowIfAny(problems);
            stored = ivr.Blacklist.Save(wanted);
        }
        catch (IvrValidationException ex)
        {
            return Outcome<BlacklistEntry>.Invalid(IvrProblems.Parse(ex.Problems, "number"));
        }
        audit.Write(actor.Name, existing is null ? "blacklist.create" : "blacklist.update", Target(stored),
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options, s_counters), AuditSnapshot.Of(stored, IvrJson.Options, s_counters)), actor.Address);
        return stored;
    }

    public Outcome<BlacklistEntry> Delete(string id, Actor actor)
    {
        var existing = ivr.Blacklist.Get(id);
        if (existing is null) return Outcome<BlacklistEntry>.NotFound();
        ivr.Blacklist.Delete(id);
        audit.Write(actor.Name, "blacklist.delete", Target(existing),
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options, s_counters), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    private BlacklistEntry? Duplicate(BlacklistEntry wanted)
    {
        var number = wanted.Kind == BlacklistKind.Exact ? CallerNumbers.Normalise(wanted.Number) : wanted.Number.TrimEnd('*');
        return ivr.Blacklist.List().FirstOrDefault(e => e.Id != wanted.Id && e.Kind == wanted.Kind && e.Number == number && e.Scope == wanted.Scope);
    }

    private static string Target(BlacklistEntry e) => e.Kind == BlacklistKind.Anonymous ? "anonymous" : e.Number;
}
