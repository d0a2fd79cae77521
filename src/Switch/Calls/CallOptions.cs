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
    /// <summary>
    /// An answered call whose party has sent no RTP or RTCP for this long is hung up (the phone or the trunk
    /// is gone without a BYE); 0 turns the check off.
    /// </summary>
    public int RtpTimeoutSeconds { get; set; } = 60;
    /// <summary>
    /// The same for a party that holds the call (its SDP says sendonly or inactive). Off by default: many
    /// phones send nothing at all while holding, and a long hold is normal at a hotline; session timers
    /// (RFC 4028) still end a call whose holding phone has died.
    /// </summary>
    public int RtpHoldTimeoutSeconds { get; set; }
    /// <summary>
    /// Overload control: while work waits longer than this for a thread, the share of new calls refused with
    /// 503 grows (by 5 points every 50 ms), below half of it the share shrinks again, so the switch keeps
    /// completing what it can carry instead of collapsing (see <see cref="OverloadControl"/>); 0 turns it off.
    /// </summary>
    public int OverloadQueueDelayMs { get; set; } = 250;
    /// <summary>Calls up at once beyond which new ones get 503 Too Many Calls; 0 means no limit.</summary>
    public int MaxConcurrentCalls { get; set; }

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
        if (RtpTimeoutSeconds < 0) throw new InvalidOperationException("Calls:RtpTimeoutSeconds must not be negative (0 turns the check off)");
        if (OverloadQueueDelayMs < 0) throw new InvalidOperationException("Calls:OverloadQueueDelayMs must not be negative (0 turns overload control off)");
        if (MaxConcurrentCalls < 0) throw new InvalidOperationException("Calls:MaxConcurrentCalls must not be negative (0 means no limit)");
        if (RtpHoldTimeoutSeconds < 0) throw new InvalidOperationException("Calls:RtpHoldTimeoutSeconds must not be negative (0 turns the check off)");
    }
}
