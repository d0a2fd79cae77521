namespace Hotline.Media.Rtp;

/// <summary>
/// 64-bit NTP timestamps as RTCP carries them (RFC 3550 §4): seconds since 1900-01-01 in the high 32 bits,
/// the fraction of a second in the low 32.
/// </summary>
public static class NtpTimestamp
{
    private static readonly DateTimeOffset s_epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTime(DateTimeOffset time)
    {
        long ticks = (time - s_epoch).Ticks;
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        ulong fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return seconds << 32 | fraction;
    }

    public static DateTimeOffset ToDateTime(ulong ntp)
    {
        long seconds = (long)(ntp >> 32);
        long fractionTicks = (long)((ntp & 0xFFFFFFFF) * TimeSpan.TicksPerSecond >> 32);
        return s_epoch.AddTicks(seconds * TimeSpan.TicksPerSecond + fractionTicks);
    }

    /// <summary>The middle 32 bits, as the LSR field of a report block wants them (§6.4.1).</summary>
    public static uint Middle32(ulong ntp) => (uint)(ntp >> 16);
}
