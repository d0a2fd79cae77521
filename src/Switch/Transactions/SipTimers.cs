namespace Hotline.Switch.Transactions;

/// <summary>
/// The timer values of RFC 3261 §17 (table 4 of Appendix A) and RFC 6026's Timers L and M.
/// T1 is the RTT estimate, T2 the cap on non-INVITE retransmission intervals, T4 how long the
/// network may hold a message.
/// </summary>
public sealed record SipTimers
{
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>INVITE client timeout (B) and non-INVITE client timeout (F): 64·T1.</summary>
    public TimeSpan TimerB => T1 * 64;
    public TimeSpan TimerF => T1 * 64;
    /// <summary>Wait for response retransmissions after a non-2xx final (D): at least 32 s over UDP.</summary>
    public TimeSpan TimerD => TimeSpan.FromSeconds(32) > T1 * 64 ? TimeSpan.FromSeconds(32) : T1 * 64;
    /// <summary>Server INVITE: wait for ACK (H) 64·T1; linger after ACK (I) T4.</summary>
    public TimeSpan TimerH => T1 * 64;
    public TimeSpan TimerI => T4;
    /// <summary>Server non-INVITE linger (J) 64·T1; client non-INVITE linger (K) T4.</summary>
    public TimeSpan TimerJ => T1 * 64;
    public TimeSpan TimerK => T4;
    /// <summary>RFC 6026: server INVITE "Accepted" (L) and client INVITE "Accepted" (M), 64·T1.</summary>
    public TimeSpan TimerL => T1 * 64;
    public TimeSpan TimerM => T1 * 64;

    public static SipTimers Default { get; } = new();
}
