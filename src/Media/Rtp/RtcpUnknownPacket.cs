namespace Hotline.Media.Rtp;

/// <summary>
/// An RTCP packet of a type we do not interpret (APP, XR, feedback...): kept as raw bytes so a compound
/// packet can still be read and, if wanted, relayed unchanged.
/// </summary>
public sealed class RtcpUnknownPacket(byte packetType, int count, byte[] body) : RtcpPacket
{
    public byte RawPacketType { get; } = packetType;
    public byte[] Body { get; } = body.Length % 4 == 0 ? body : throw new ArgumentException("RTCP body is whole 32-bit words", nameof(body));

    public override RtcpPacketType PacketType => (RtcpPacketType)RawPacketType;
    public override int Length => RtcpHeader.Length + Body.Length;
    protected override int Count { get; } = count;

    protected override void WriteBody(Span<byte> body) => Body.CopyTo(body);
}
