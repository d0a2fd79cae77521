namespace Hotline.Media.Rtp;

/// <summary>
/// Serial-number arithmetic (RFC 1982) for RTP's 16-bit sequence numbers and 32-bit timestamps,
/// which wrap: 0 follows 65535, and "newer" means "less than half the space ahead".
/// </summary>
public static class RtpSerial
{
    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/>, in -32768..32767.</summary>
    public static int Difference(ushort to, ushort from) => (short)(ushort)(to - from);

    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/>, in -2^31..2^31-1.</summary>
    public static long Difference(uint to, uint from) => (int)(to - from);

    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/>.</summary>
    public static bool IsNewer(ushort a, ushort b) => Difference(a, b) > 0;

    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/>.</summary>
    public static bool IsNewer(uint a, uint b) => Difference(a, b) > 0;

    /// <summary>
    /// Extends a 16-bit sequence number to the 64-bit value nearest to <paramref name="reference"/>, an already
    /// extended number (so 2 after 65535 is 65538, and 65534 after 65537 is 65534).
    /// </summary>
    public static long Extend(ushort sequenceNumber, long reference) =>
        reference + Difference(sequenceNumber, (ushort)reference);

    /// <summary>Extends a 32-bit timestamp to the 64-bit value nearest to <paramref name="reference"/>.</summary>
    public static long Extend(uint timestamp, long reference) =>
        reference + Difference(timestamp, (uint)reference);
}
