using System.Buffers.Binary;

namespace Hotline.Media.Rtp;

/// <summary>RTCP packet types (RFC 3550 §12.1).</summary>
public enum RtcpPacketType : byte
{
    SenderReport = 200,
    ReceiverReport = 201,
    SourceDescription = 202,
    Goodbye = 203,
    ApplicationDefined = 204,
}

/// <summary>
/// The 4-byte header every RTCP packet starts with (RFC 3550 §6.4.1): version, padding, a 5-bit count
/// (report blocks, SDES chunks or BYE sources), packet type and the length in 32-bit words minus one.
/// </summary>
public readonly record struct RtcpHeader(bool Padding, int Count, byte PacketType, int LengthInWords)
{
    public const int Length = 4;

    /// <summary>Whole packet length in bytes, header included.</summary>
    public int PacketLength => (LengthInWords + 1) * 4;

    public static bool TryRead(ReadOnlySpan<byte> buffer, out RtcpHeader header)
    {
        header = default;
        if (buffer.Length < Length || buffer[0] >> 6 != RtpHeader.Version) return false;
        header = new RtcpHeader((buffer[0] & 0x20) != 0, buffer[0] & 0x1F, buffer[1],
            BinaryPrimitives.ReadUInt16BigEndian(buffer.Slice(2)));
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        if ((uint)Count > 31) throw new InvalidOperationException("RTCP count field is 5 bits (0..31)");
        destination[0] = (byte)(RtpHeader.Version << 6 | (Padding ? 0x20 : 0) | Count);
        destination[1] = PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination.Slice(2), checked((ushort)LengthInWords));
    }
}
