using System.Buffers.Binary;
using System.Text;

namespace Hotline.Media.Rtp;

/// <summary>RTCP BYE (RFC 3550 §6.6): sources leaving, with an optional reason.</summary>
public sealed class RtcpGoodbye : RtcpPacket
{
    public RtcpGoodbye(IReadOnlyList<uint> ssrcs, string? reason = null)
    {
        if (ssrcs.Count > 31) throw new ArgumentException("at most 31 sources per BYE", nameof(ssrcs));
        if (reason is not null && Encoding.UTF8.GetByteCount(reason) > 255) throw new ArgumentException("BYE reason longer than 255 bytes", nameof(reason));
        Ssrcs = ssrcs;
        Reason = reason;
    }

    public IReadOnlyList<uint> Ssrcs { get; }
    public string? Reason { get; }

    public override RtcpPacketType PacketType => RtcpPacketType.Goodbye;
    public override int Length =>
        RtcpHeader.Length + 4 * Ssrcs.Count + (Reason is null ? 0 : (1 + Encoding.UTF8.GetByteCount(Reason) + 3) & ~3);
    protected override int Count => Ssrcs.Count;

    protected override void WriteBody(Span<byte> body)
    {
        body.Clear();
        for (int i = 0; i < Ssrcs.Count; i++) BinaryPrimitives.WriteUInt32BigEndian(body.Slice(4 * i), Ssrcs[i]);
        if (Reason is null) return;
        int offset = 4 * Ssrcs.Count;
        body[offset] = (byte)Encoding.UTF8.GetBytes(Reason, body.Slice(offset + 1));
    }

    internal static bool TryRead(in RtcpHeader header, ReadOnlySpan<byte> body, out RtcpGoodbye? bye)
    {
        bye = null;
        int offset = 4 * header.Count;
        if (body.Length < offset) return false;
        var ssrcs = new uint[header.Count];
        for (int i = 0; i < ssrcs.Length; i++) ssrcs[i] = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(4 * i));
        string? reason = null;
        if (body.Length > offset && body[offset] > 0)
        {
            int length = body[offset];
            if (offset + 1 + length > body.Length) return false;
            reason = Encoding.UTF8.GetString(body.Slice(offset + 1, length));
        }
        bye = new RtcpGoodbye(ssrcs, reason);
        return true;
    }
}
