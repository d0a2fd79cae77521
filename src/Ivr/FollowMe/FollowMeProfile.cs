namespace Hotline.Ivr.FollowMe;

public enum FollowMeMode { Sequential, Simultaneous }

/// <summary>One outside number of a follow-me list and how long it rings.</summary>
public sealed record FollowMeNumber(string Number, double RingSeconds = 20);

/// <summary>
/// A user's follow-me: when they don't answer at their desk (or are marked away), their mobile and other numbers
/// are rung through a trunk, one after another or all at once. The person answering must press
/// <see cref="AcceptDigit"/> before being connected, so a mobile's own voicemail can't take the call; the
/// bridged call is recorded. Unanswered calls end in the user's mailbox.
/// </summary>
public sealed record FollowMeProfile
{
    /// <summary>The user's extension.</summary>
    public required string Id { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>Don't ring the desk phone first.</summary>
    public bool Away { get; init; }
    public double RingExtensionSeconds { get; init; } = 15;
    public FollowMeMode Mode { get; init; } = FollowMeMode.Sequential;
    public IReadOnlyList<FollowMeNumber> Numbers { get; init; } = [];
    public char AcceptDigit { get; init; } = '1';
    public string AcceptPrompt { get; init; } = Calls.SystemPrompts.FollowMeAccept;
    public bool Record { get; init; } = true;
    /// <summary>Where unanswered calls go; the user's own mailbox (their extension) when null; "" for none.</summary>
    public string? Mailbox { get; init; }
    public string Source { get; init; } = "admin";

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Id.Length == 0 || !Id.All(char.IsAsciiLetterOrDigit)) problems.Add($"id '{Id}' must be an extension number or a duty-phone name");
        if (Numbers.Count == 0) problems.Add("numbers: at least one number is needed");
        for (var i = 0; i < Numbers.Count; i++)
        {
            var n = Numbers[i];
            if (n.Number.Length < 3 || !n.Number.TrimStart('+').All(char.IsAsciiDigit)) problems.Add($"numbers[{i}].number '{n.Number}' is not a phone number");
            if (n.RingSeconds is < 5 or > 120) problems.Add($"numbers[{i}].ringSeconds must be from 5 to 120");
        }
        if (RingExtensionSeconds is < 0 or > 120) problems.Add("ringExtensionSeconds must be from 0 to 120");
        if (!"0123456789*#".Contains(AcceptDigit)) problems.Add($"acceptDigit '{AcceptDigit}' must be a key 0-9, * or #");
        return problems;
    }
}
