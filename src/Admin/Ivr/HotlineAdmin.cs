using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Storage;
using Hotline.Switch.Accounts;

namespace Hotline.Admin.Ivr;

/// <summary>
/// Hotline entries (a DID such as 12345: its schedule, and where each period's calls go) through the panel and
/// the API. Besides the entry's own rules, every destination must exist: the flow, queue, extension, mailbox or
/// follow-me profile it names, and the schedule and mailbox of the entry. Audited.
/// </summary>
public sealed class HotlineAdmin(IvrServices ivr, ContactCentreHost contactCentre, IExtensionRepository extensions, AuditLog audit)
{
    public IReadOnlyList<HotlineEntry> List() => ivr.Hotlines.List();

    public HotlineEntry? Get(string id) => ivr.Hotlines.Get(id);

    public Outcome<HotlineEntry> Save(HotlineEntry input, string? id, Actor actor)
    {
        var existing = ivr.Hotlines.Get(id ?? input.Id ?? "");
        if (id is null && existing is not null) return Outcome<HotlineEntry>.Invalid("id", $"hotline '{input.Id}' already exists");
        if (id is not null && existing is null) return Outcome<HotlineEntry>.NotFound();
        if (input.Work is null) return Outcome<HotlineEntry>.Invalid("work", "is required: where calls go in working hours");
        var wanted = input with
        {
            Id = id ?? input.Id?.Trim() ?? "", Name = input.Name?.Trim() ?? "", Source = "admin",
            Schedule = string.IsNullOrWhiteSpace(input.Schedule) ? null : input.Schedule.Trim(), Mailbox = string.IsNullOrWhiteSpace(input.Mailbox) ? null : input.Mailbox.Trim(),
        };
        var problems = wanted.Problems().ToList();
        if (wanted.Schedule is { } s && !ivr.Schedules.Exists(s)) problems.Add($"schedule '{s}' does not exist");
        if (wanted.Mailbox is { } m && !ivr.Voicemail.MailboxExists(m)) problems.Add($"mailbox '{m}' does not exist");
        foreach (var (field, d) in Periods(wanted))
        {
            if (d is null || string.IsNullOrWhiteSpace(d.Value)) continue;
            if (Missing(d) is { } what) problems.Add($"{field}.value {what}");
        }
        if (problems.Count > 0) return Outcome<HotlineEntry>.Invalid(IvrProblems.Parse(problems));
        try
        {
            ivr.Hotlines.Save(wanted);
        }
        catch (IvrValidationException e)
        {
            return Outcome<HotlineEntry>.Invalid(IvrProblems.Parse(e.Problems));
        }
        audit.Write(actor.Name, existing is null ? "hotline.create" : "hotline.update", wanted.Id,
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), AuditSnapshot.Of(wanted, IvrJson.Options)), actor.Address);
        return wanted;
    }

    public Outcome<HotlineEntry> Delete(string id, Actor actor)
    {
        var existing = ivr.Hotlines.Get(id);
        if (existing is null) return Outcome<HotlineEntry>.NotFound();
        ivr.Hotlines.Delete(id);
        audit.Write(actor.Name, "hotline.delete", id, AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    public static IEnumerable<(string Field, HotlineDestination? Destination)> Periods(HotlineEntry h) =>
        [("work", h.Work), ("lunch", h.Lunch), ("afterHours", h.AfterHours), ("holiday", h.Holiday), ("nightService", h.NightService)];

    /// <summary>What is missing for a destination ("names no flow 'x'"), or null when it exists.</summary>
    private string? Missing(HotlineDestination d) => d.Kind switch
    {
        DestinationKind.Flow when !ivr.Flows.Exists(d.Value) => $"names no flow '{d.Value}'",
        DestinationKind.Queue when contactCentre.Directory.Queue(d.Value) is null => $"names no queue '{d.Value}'",
        DestinationKind.Extension when extensions.Find(d.Value) is null => $"names no extension '{d.Value}'",
        DestinationKind.Voicemail when !ivr.Voicemail.MailboxExists(d.Value) => $"names no mailbox '{d.Value}'",
        DestinationKind.FollowMe when ivr.FollowMe.Get(d.Value) is null => $"names no follow-me profile '{d.Value}'",
        DestinationKind.External when !d.Value.TrimStart('+').All(char.IsAsciiDigit) => $"'{d.Value}' is not a phone number",
        _ => null,
    };
}
