using Hotline.Ivr.Schedules;

namespace Hotline.Ivr.Campaigns;

public enum CampaignState { Draft, Running, Paused, Cancelled, Completed }

/// <summary>The part of the day (in a time zone, on some weekdays) when a campaign may call: nobody is woken at night.</summary>
public sealed record CallingWindow(ClockTime Start, ClockTime End, IReadOnlyList<DayOfWeek>? Days = null, string TimeZone = Schedule.DefaultTimeZone)
{
    public bool Contains(DateTimeOffset now)
    {
        Schedule.TryZone(TimeZone, out var zone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (Days is { Count: > 0 } days && !days.Contains(local.DayOfWeek)) return false;
        var t = new ClockTime(local.Hour * 60 + local.Minute);
        return t >= Start && t < End;
    }
}

/// <summary>Why a number's last call ended the way it did.</summary>
public enum CallOutcome { Answered, Confirmed, Busy, NoAnswer, Failed, Rejected, Blacklisted, Cancelled, Interrupted }

/// <summary>
/// A notification campaign (语音通知): a recorded message (a prompt), the numbers to call, and how: caller ID,
/// concurrent calls and calls per second (the trunk's contract), the hours allowed, retries of busy and
/// unanswered numbers after a delay up to <see cref="MaxAttempts"/> calls in all, and optionally a key the
/// listener presses to confirm they heard it.
/// </summary>
public sealed record Campaign
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    /// <summary>The prompt with the message (uploaded or recorded by phone).</summary>
    public required string Message { get; init; }
    /// <summary>How many times the message is played in one call.</summary>
    public int PlayTimes { get; init; } = 2;
    public string CallerId { get; init; } = "";
    public int MaxConcurrent { get; init; } = 10;
    public double CallsPerSecond { get; init; } = 2;
    public double RingSeconds { get; init; } = 30;
    public int MaxAttempts { get; init; } = 3;
    public double RetryDelaySeconds { get; init; } = 600;
    public IReadOnlyList<CallOutcome> RetryOn { get; init; } = [CallOutcome.Busy, CallOutcome.NoAnswer];
    public char? ConfirmDigit { get; init; }
    public string? ConfirmPrompt { get; init; }
    public double ConfirmSeconds { get; init; } = 8;
    public CallingWindow? Window { get; init; }
    /// <summary>When set, calls only in this schedule's working periods (so holidays are respected too).</summary>
    public string? Schedule { get; init; }
    public bool SkipBlacklisted { get; init; } = true;
    /// <summary>
    /// A number whose call was in progress when the switch stopped dead is counted as an attempt with outcome
    /// Interrupted; it is only called again when this is set (the listener may have heard the message already).
    /// </summary>
    public bool RetryInterrupted { get; init; }
    public bool Record { get; init; }
    public CampaignState State { get; init; } = CampaignState.Draft;
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Hotline.Ivr.Flows.FlowFields.NodeId().IsMatch(Id)) problems.Add($"id '{Id}' may have letters, digits, _ . - and at most 64 characters");
        if (!Hotline.Ivr.Flows.FlowFields.PromptName().IsMatch(Message)) problems.Add($"message '{Message}' is not a prompt name");
        if (PlayTimes is < 1 or > 5) problems.Add("playTimes must be from 1 to 5");
        if (MaxConcurrent is < 1 or > 1000) problems.Add("maxConcurrent must be from 1 to 1000");
        if (CallsPerSecond is < 0.01 or > 100) problems.Add("callsPerSecond must be from 0.01 to 100");
        if (RingSeconds is < 5 or > 120) problems.Add("ringSeconds must be from 5 to 120");
        if (MaxAttempts is < 1 or > 10) problems.Add("maxAttempts must be from 1 to 10");
        if (RetryDelaySeconds is < 1 or > 7 * 86400) problems.Add("retryDelaySeconds must be from 1 to 604800");
        if (RetryOn.Any(o => o is not (CallOutcome.Busy or CallOutcome.NoAnswer or CallOutcome.Failed))) problems.Add("retryOn may list busy, noAnswer and failed only");
        if (ConfirmDigit is { } d && !"0123456789*#".Contains(d)) problems.Add($"confirmDigit '{d}' must be a key 0-9, * or #");
        if (ConfirmSeconds is < 1 or > 60) problems.Add("confirmSeconds must be from 1 to 60");
        if (Window is { } w && (w.Start >= w.End || !Hotline.Ivr.Schedules.Schedule.TryZone(w.TimeZone, out _))) problems.Add("window must start before it ends, in a known time zone");
        return problems;
    }
}

public enum NumberState { Pending, Dialling, Waiting, Done }

/// <summary>One call made to a number: when, how it ended, with what SIP status.</summary>
public sealed record CampaignAttempt(DateTimeOffset Started, DateTimeOffset? Ended, CallOutcome? Outcome, int Status);

/// <summary>A number of a campaign: where it stands, its result, and every attempt with its times.</summary>
public sealed record CampaignNumber
{
    public required string Campaign { get; init; }
    public int Seq { get; init; }
    public required string Number { get; init; }
    public NumberState State { get; init; }
    public CallOutcome? Outcome { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? NextAttempt { get; init; }
    public IReadOnlyList<CampaignAttempt> Log { get; init; } = [];

    public string Key => NumberKey(Campaign, Seq);
    public static string NumberKey(string campaign, int seq) => $"{campaign}:{seq:D7}";
}

/// <summary>
/// A campaign's totals. Delivered (answered or confirmed) are successes; skipped are blacklisted or cancelled
/// numbers that were never called; everything else that is finished is a failure.
/// </summary>
public sealed record CampaignTotals(int Numbers, int Pending, int InProgress, int Answered, int Confirmed, int Busy, int NoAnswer, int Failed,
    int Rejected, int Interrupted, int Blacklisted, int Cancelled, int Calls)
{
    public int Succeeded => Answered + Confirmed;
    public int Skipped => Blacklisted + Cancelled;
    public int FailedTotal => Busy + NoAnswer + Failed + Rejected + Interrupted;
    public int Finished => Succeeded + Skipped + FailedTotal;
}
