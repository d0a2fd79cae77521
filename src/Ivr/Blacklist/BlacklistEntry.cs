namespace Hotline.Ivr.Blacklist;

public enum BlacklistKind { Exact, Prefix, Anonymous }

/// <summary>What happens to a listed caller.</summary>
public enum BlacklistAction
{
    /// <summary>Refused before answer with <see cref="BlacklistEntry.Status"/> (603 Decline by default).</summary>
    Reject,
    /// <summary>Answered, a notice played (<see cref="BlacklistEntry.NoticePrompt"/>), then hung up.</summary>
    Notice,
    /// <summary>Sent to a mailbox (<see cref="BlacklistEntry.Mailbox"/>, else the hotline's own).</summary>
    Voicemail,
}

/// <summary>
/// One blacklist entry: a number, a prefix, or anonymous callers; the action; an optional expiry (a
/// harassing caller is often blocked for a week, not forever); and how often and when it last matched.
/// </summary>
public sealed record BlacklistEntry
{
    public string Id { get; init; } = "";
    public BlacklistKind Kind { get; init; }
    /// <summary>The number or prefix, digits only (stored in national form: +86/0086 stripped); empty for Anonymous.</summary>
    public string Number { get; init; } = "";
    public BlacklistAction Action { get; init; } = BlacklistAction.Reject;
    public int Status { get; init; } = 603;
    public string? NoticePrompt { get; init; }
    public string? Mailbox { get; init; }
    /// <summary>Only calls to this hotline (its id); null for every call.</summary>
    public string? Scope { get; init; }
    public string Reason { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public long Hits { get; init; }
    public DateTimeOffset? LastHit { get; init; }

    public bool Expired(DateTimeOffset now) => ExpiresAt is { } e && now >= e;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Kind != BlacklistKind.Anonymous && (Number.Length == 0 || !Number.All(char.IsAsciiDigit)))
            problems.Add($"number '{Number}' must be digits (a {Kind.ToString().ToLowerInvariant()} entry needs one)");
        if (Kind == BlacklistKind.Anonymous && Number.Length > 0) problems.Add("number must be empty for an anonymous entry");
        if (Kind == BlacklistKind.Prefix && Number.Length < 2) problems.Add("number: a prefix of fewer than 2 digits would block nearly everyone");
        if (Action == BlacklistAction.Reject && Status is < 400 or > 699) problems.Add($"status {Status} must be a SIP final status from 400 to 699");
        if (Action == BlacklistAction.Notice && string.IsNullOrEmpty(NoticePrompt)) problems.Add("noticePrompt is required for the notice action");
        if (NoticePrompt is not null && !Hotline.Ivr.Flows.FlowFields.PromptName().IsMatch(NoticePrompt)) problems.Add($"noticePrompt '{NoticePrompt}' is not a prompt name");
        return problems;
    }
}
