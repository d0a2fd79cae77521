namespace Hotline.Media.Rtp;

/// <summary>
/// An RTCP compound packet (RFC 3550 §6.1): SR or RR first, then SDES, BYE and others, written and read
/// as one datagram.
/// </summary>
public sealed class RtcpCompoundPacket(IReadOnlyList<RtcpPacket> packets)
{
    public IReadOnlyList<RtcpPacket> Packets { get; } = packets;

    public int Length => Packets.Sum(p => p.Length);

    public T? Find<T>() where T : RtcpPacket => Packets.OfType<T>().FirstOrDefault();

    /// <summary>Writes every packet back to back and returns the total length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        int offset = 0;
        foreach (var packet in Packets) offset += packet.WriteTo(destination.Slice(offset));
        return offset;
    }

    /// <summary>
    /// Reads a compound packet, applying the validity checks of RFC 3550 Appendix A.2: version 2 everywhere,
    /// the first packet an SR or RR without padding, padding only in the last packet, and the lengths adding
    /// up to the datagram exactly. Never throws; <paramref name="error"/> says what was wrong.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out RtcpCompoundPacket? compound, out string? error)
    {
        compound = null;
        var packets = new List<RtcpPacket>(3);
        int offset = 0;
        while (offset < datagram.Length)
        {
            var rest = datagram.Slice(offset);
            if (!RtcpHeader.TryRead(rest, out var header))
                return Fail(out error, $"packet {packets.Count} at offset {offset}: not RTCP version 2");
            if (packets.Count == 0)
            {
                if (header.PacketType is not ((byte)RtcpPacketType.SenderReport or (byte)RtcpPacketType.ReceiverReport))
                    return Fail(out error, $"first packet is type {header.PacketType}, not SR or RR");
            }
            int length = header.PacketLength;
            if (length > rest.Length)
                return Fail(out error, $"packet {packets.Count} at offset {offset}: length {length} runs past the datagram ({rest.Length} left)");
            bool last = offset + length == datagram.Length;
            if (header.Padding && !last)
                return Fail(out error, $"packet {packets.Count} at offset {offset}: padding is only allowed in the last packet");

            var body = rest.Slice(RtcpHeader.Length, length - RtcpHeader.Length);
            if (header.Padding)
            {
                int padding = body.Length == 0 ? 0 : body[^1];
                if (padding == 0 || padding > body.Length)
                    return Fail(out error, $"packet {packets.Count}: bad padding count {padding}");
                body = body.Slice(0, body.Length - padding);
            }
            if (!TryReadOne(header, body, out var packet))
                return Fail(out error, $"packet {packets.Count} (type {header.PacketType}) at offset {offset}: count {header.Count} does not fit length {length}");
            packets.Add(packet!);
            offset += length;
        }
        if (packets.Count == 0) return Fail(out error, "empty datagram");
        compound = new RtcpCompoundPacket(packets);
        error = null;
        return true;
    }

    private static bool TryReadOne(in RtcpHeader header, ReadOnlySpan<byte> body, out RtcpPacket? packet)
    {
        bool ok;
        switch ((RtcpPacketType)header.PacketType)
        {
            case RtcpPacketType.SenderReport:
                ok = RtcpSenderReport.TryRead(header, body, out var sr); packet = sr; break;
            case RtcpPacketType.ReceiverReport:
                ok = RtcpReceiverReport.TryRead(header, body, out var rr); packet = rr; break;
            case RtcpPacketType.SourceDescription:
                ok = RtcpSourceDescription.TryRead(header, body, out var sdes); packet = sdes; break;
            case RtcpPacketType.Goodbye:
                ok = RtcpGoodbye.TryRead(header, body, out var bye); packet = bye; break;
            default:
                // Padding was cut off above; keep whole words so the packet can be written back.
                packet = new RtcpUnknownPacket(header.PacketType, header.Count, body.Slice(0, body.Length & ~3).ToArray());
                ok = true;
                break;
        }
        return ok;
    }

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }
}
