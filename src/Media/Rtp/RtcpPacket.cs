namespace Hotline.Media.Rtp;

/// <summary>
/// One packet of an RTCP compound packet. RTCP goes out every few seconds per stream, so these are
/// plain objects; the per-packet RTP path never touches them.
/// </summary>
public abstract class RtcpPacket
{
    public abstract RtcpPacketType PacketType { get; }

    /// <summary>Bytes this packet takes on the wire, header included (always a multiple of 4).</summary>
    public abstract int Length { get; }

    /// <summary>Writes the packet and returns <see cref="Length"/>.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int length = Length;
        if (destination.Length < length)
            throw new ArgumentException($"buffer of {destination.Length} bytes too small for {PacketType} of {length}", nameof(destination));
        new RtcpHeader(false, Count, (byte)PacketType, length / 4 - 1).WriteTo(destination);
        WriteBody(destination.Slice(RtcpHeader.Length, length - RtcpHeader.Length));
        return length;
    }

    /// <summary>The header's 5-bit count field for this packet.</summary>
    protected abstract int Count { get; }

    protected abstract void WriteBody(Span<byte> body);
}
