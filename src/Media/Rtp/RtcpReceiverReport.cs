using System.Buffers.Binary;

namespace Hotline.Media.Rtp;

/// <summary>RTCP RR (RFC 3550 §6.4.2): reception report blocks from a participant that is not sending.</summary>
public sealed class RtcpReceiverReport : RtcpPacket
{
    public RtcpReceiverReport(uint ssrc, IReadOnlyList<RtcpReportBlock>? reportBlocks = null)
    {
        Ssrc = ssrc;
        ReportBlocks = reportBlocks ?? [];
        if (ReportBlocks.Count > 31) throw new ArgumentException("at most 31 report blocks per RR", nameof(reportBlocks));
    }

    public uint Ssrc { get; }
    public IReadOnlyList<RtcpReportBlock> ReportBlocks { get; }

    public override RtcpPacketType PacketType => RtcpPacketType.ReceiverReport;
    public override int Length => RtcpHeader.Length + 4 + ReportBlocks.Count * RtcpReportBlock.Length;
    protected override int Count => ReportBlocks.Count;

    protected override void WriteBody(Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32BigEndian(body, Ssrc);
        for (int i = 0; i < ReportBlocks.Count; i++)
            ReportBlocks[i].WriteTo(body.Slice(4 + i * RtcpReportBlock.Length));
    }

    internal static bool TryRead(in RtcpHeader header, ReadOnlySpan<byte> body, out RtcpReceiverReport? report)
    {
        report = null;
        if (body.Length < 4 + header.Count * RtcpReportBlock.Length) return false;
        var blocks = new RtcpReportBlock[header.Count];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = RtcpReportBlock.Read(body.Slice(4 + i * RtcpReportBlock.Length));
        report = new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(body), blocks);
        return true;
    }
}
