using System.Buffers.Binary;

namespace Hotline.Media.Rtp;

/// <summary>
/// One reception report block of an SR or RR (RFC 3550 §6.4.1): what we received from one source.
/// </summary>
/// <param name="Ssrc">The source this block reports on.</param>
/// <param name="FractionLost">Fraction of packets lost since the last report, as a fixed-point number /256.</param>
/// <param name="CumulativeLost">Packets lost since the start (24-bit signed: duplicates can make it negative).</param>
/// <param name="ExtendedHighestSequence">Cycles in the high 16 bits, highest sequence number in the low 16.</param>
/// <param name="Jitter">Interarrival jitter in timestamp units (§6.4.1, A.8).</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP timestamp of the last SR from that source, or 0.</param>
/// <param name="DelaySinceLastSenderReport">Delay since that SR in units of 1/65536 s, or 0.</param>
public readonly record struct RtcpReportBlock(
    uint Ssrc, byte FractionLost, int CumulativeLost, uint ExtendedHighestSequence,
    uint Jitter, uint LastSenderReport, uint DelaySinceLastSenderReport)
{
    public const int Length = 24;
    public const int MaxCumulativeLost = 0x7FFFFF;
    public const int MinCumulativeLost = -0x800000;

    public static RtcpReportBlock Read(ReadOnlySpan<byte> buffer)
    {
        uint lostWord = BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(4));
        int cumulative = (int)(lostWord << 8) >> 8; // sign-extend the 24-bit field
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(buffer),
            (byte)(lostWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(8)),
            BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(12)),
            BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(16)),
            BinaryPrimitives.ReadUInt32BigEndian(buffer.Slice(20)));
    }

    public void WriteTo(Span<byte> destination)
    {
        int lost = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(4), (uint)FractionLost << 24 | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(8), ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(12), Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(16), LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(20), DelaySinceLastSenderReport);
    }
}
