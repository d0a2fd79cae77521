namespace Hotline.Switch.Calls;

/// <summary>Configuration section "Calls".</summary>
public sealed class CallOptions
{
    /// <summary>Unanswered calls are given up after this long (480 to the caller).</summary>
    public int NoAnswerSeconds { get; set; } = 60;
    /// <summary>
    /// When voicemail is available, an extension that doesn't answer within this many seconds (or is busy,
    /// or has no phone registered) sends the caller to its mailbox; 0 turns the diversion off.
    /// </summary>
    public int VoicemailAfterSeconds { get; set; } = 25;
    /// <summary>Session-Expires we ask for and accept (RFC 4028); 0 disables session timers.</summary>
    public int SessionExpiresSeconds { get; set; } = 1800;
    /// <summary>Smallest session interval we accept (Min-SE, RFC 4028 §5).</summary>
    public int MinSessionExpiresSeconds { get; set; } = 90;
    /// <summary>How long the caller hears busy or congestion tone before the final response.</summary>
    public int FailureToneSeconds { get; set; } = 3;
    /// <summary>Recordings are filed under this folder (relative to the data directory) as yyyy/MM/dd/&lt;call-id&gt;.wav.</summary>
    public string RecordingsFolder { get; set; } = "recordings";
    /// <summary>Longest call allowed before the switch hangs up (a stuck call must not hold a trunk forever); 0 = no limit.</summary>
    public int MaxCallSeconds { get; set; } = 4 * 3600;

    public void Validate()
    {
        if (NoAnswerSeconds < 5) throw new InvalidOperationException("Calls:NoAnswerSeconds must be at least 5");
        if (SessionExpiresSeconds != 0 && SessionExpiresSeconds < MinSessionExpiresSeconds)
            throw new InvalidOperationException("Calls:SessionExpiresSeconds must be 0 or at least Calls:MinSessionExpiresSeconds");
        if (MinSessionExpiresSeconds < 90) throw new InvalidOperationException("Calls:MinSessionExpiresSeconds must be at least 90 (RFC 4028 §4)");
        if (VoicemailAfterSeconds < 0) throw new InvalidOperationException("Calls:VoicemailAfterSeconds must not be negative");
        if (FailureToneSeconds is < 0 or > 30) throw new InvalidOperationException("Calls:FailureToneSeconds must be between 0 and 30");
        if (string.IsNullOrWhiteSpace(RecordingsFolder)) throw new InvalidOperationException("Calls:RecordingsFolder must not be empty");
        if (MaxCallSeconds < 0) throw new InvalidOperationException("Calls:MaxCallSeconds must not be negative");
    }
}
