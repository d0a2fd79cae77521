using Hotline.Ivr.Schedules;

namespace Hotline.Ivr.Hotlines;

public enum DestinationKind { Flow, Queue, Extension, External, Voicemail, FollowMe, Hangup }

/// <summary>
/// Where one period's calls go: a flow, a queue of agents, an extension, an outside number (a duty phone),
/// a mailbox, a follow-me profile (duty officers' mobiles, with accept key), or a refusal (Value = status).
/// </summary>
public sealed record HotlineDestination(DestinationKind Kind, string Value, double RingSeconds = 30)
{
    public override string ToString() => $"{Kind} {Value}";
}

/// <summary>
/// A hotline number (a DID such as 12345 and its local short number): its schedule, and a destination per
/// period. A period without its own destination falls back: lunch, holiday and night service to after hours;
/// after hours to the hotline's mailbox. Callers are checked against the blacklist first.
/// </summary>
public sealed record HotlineEntry
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>The schedule deciding the period; null: always working hours.</summary>
    public string? Schedule { get; init; }
    public bool CheckBlacklist { get; init; } = true;
    /// <summary>The hotline's mailbox: after-hours messages, blacklist entries that send to voicemail.</summary>
    public string? Mailbox { get; init; }
    public required HotlineDestination Work { get; init; }
    public HotlineDestination? Lunch { get; init; }
    public HotlineDestination? AfterHours { get; init; }
    public HotlineDestination? Holiday { get; init; }
    public HotlineDestination? NightService { get; init; }
    public string Source { get; init; } = "admin";

    /// <summary>The destination for <paramref name="period"/>, with the fallbacks applied; null when none is left.</summary>
    public HotlineDestination? For(Period period)
    {
        var afterHours = AfterHours ?? (Mailbox is null ? null : new HotlineDestination(DestinationKind.Voicemail, Mailbox));
        return period switch
        {
            Period.Work => Work,
            Period.Lunch => Lunch ?? afterHours,
            Period.Holiday => Holiday ?? afterHours,
            Period.NightService => NightService ?? afterHours,
            _ => afterHours,
        };
    }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Hotline.Ivr.Flows.FlowFields.NodeId().IsMatch(Id)) problems.Add($"id '{Id}' may have letters, digits, _ . - and at most 64 characters");
        foreach (var (field, d) in new[] { ("work", Work), ("lunch", Lunch), ("afterHours", AfterHours), ("holiday", Holiday), ("nightService", NightService) })
        {
            if (d is null) continue;
            if (string.IsNullOrWhiteSpace(d.Value)) problems.Add($"{field}.value must not be empty");
            if (d.Kind == DestinationKind.Hangup && (!int.TryParse(d.Value, out var s) || s is < 400 or > 699)) problems.Add($"{field}.value must be a SIP status 400-699 for hangup");
            if (d.RingSeconds is < 5 or > 300) problems.Add($"{field}.ringSeconds must be from 5 to 300");
        }
        return problems;
    }
}
