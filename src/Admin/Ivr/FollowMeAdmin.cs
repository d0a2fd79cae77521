using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Storage;

namespace Hotline.Admin.Ivr;

/// <summary>Follow-me profiles (a user's mobile and other numbers, rung when the desk phone is not answered) through the panel and the API, audited.</summary>
public sealed class FollowMeAdmin(IvrServices ivr, AuditLog audit)
{
    public IReadOnlyList<FollowMeProfile> List() => ivr.FollowMe.List();

    public FollowMeProfile? Get(string id) => ivr.FollowMe.Get(id);

    public Outcome<FollowMeProfile> Save(FollowMeProfile input, string? id, Actor actor)
    {
        var existing = ivr.FollowMe.Get(id ?? input.Id ?? "");
        if (id is null && existing is not null) return Outcome<FollowMeProfile>.Invalid("id", $"a follow-me profile for '{input.Id}' already exists");
        if (id is not null && existing is null) return Outcome<FollowMeProfile>.NotFound();
        var wanted = input with
        {
            Id = id ?? input.Id?.Trim() ?? "", Numbers = (input.Numbers ?? []).Select(n => n with { Number = n.Number?.Trim() ?? "" }).ToList(), Source = "admin",
            AcceptPrompt = string.IsNullOrWhiteSpace(input.AcceptPrompt) ? new FollowMeProfile { Id = "x" }.AcceptPrompt : input.AcceptPrompt.Trim(),
        };
        var problems = wanted.Problems().ToList();
        if (wanted.Mailbox is { Length: > 0 } m && !ivr.Voicemail.MailboxExists(m)) problems.Add($"mailbox '{m}' does not exist");
        if (problems.Count > 0) return Outcome<FollowMeProfile>.Invalid(IvrProblems.Parse(problems));
        ivr.FollowMe.Save(wanted);
        audit.Write(actor.Name, existing is null ? "followme.create" : "followme.update", wanted.Id,
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), AuditSnapshot.Of(wanted, IvrJson.Options)), actor.Address);
        return wanted;
    }

    public Outcome<FollowMeProfile> Delete(string id, Actor actor)
    {
        var existing = ivr.FollowMe.Get(id);
        if (existing is null) return Outcome<FollowMeProfile>.NotFound();
        var users = ivr.Hotlines.List().Where(h => HotlineAdmin.Periods(h).Any(p => p.Destination is { Kind: Hotline.Ivr.Hotlines.DestinationKind.FollowMe } d && d.Value == id))
            .Select(h => h.Id).ToList();
        if (users.Count > 0) return Outcome<FollowMeProfile>.Invalid("id", $"follow-me '{id}' is still used by hotline {string.Join(", ", users)}");
        ivr.FollowMe.Delete(id);
        audit.Write(actor.Name, "followme.delete", id, AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }
}
