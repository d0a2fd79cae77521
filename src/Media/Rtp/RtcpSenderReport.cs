using System.Buffers.Binary;

namespace Hotline.Media.Rtp;

/// <summary>RTCP SR (RFC 3550 §6.4.1): sender information plus reception report blocks.</summary>
public sealed class RtcpSenderReport : RtcpPacket
{
    private const int SenderInfoLength = 24; // SSRC of sender + 20 bytes of sender info

    public RtcpSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount,
        IReadOnlyList<RtcpReportBlock>? reportBlocks = null)
    {
        Ssrc = ssrc;
        NtpTimestamp = ntpTimestamp;
        RtpTimestamp = rtpTimestamp;
        PacketCount = packetCount;
        OctetCount = octetCount;
        ReportBlocks = reportBlocks ?? [];
        if (ReportBlocks.Count > 31) throw new ArgumentException("at most 31 report blocks per SR", nameof(reportBlocks));
    }

    public uint Ssrc { get; }
    public ulong NtpTimestamp { get; }
    public uint RtpTimestamp { get; }
    public uint PacketCount { get; }
    public uint OctetCount { get; }
    public IReadOnlyList<RtcpReportBlock> ReportBlocks { get; }

    public override RtcpPacketType PacketType => RtcpPacketType.SenderReport;
    public override int Length => RtcpHeader.Length + SenderInfoLength + ReportBlocks.Count * RtcpReportBlock.Length;
    protected override int Count => ReportBlocks.Count;

    protected override void WriteBody(Span<byte> body)
    {
        BinaryPrimitives.WriteUInt32BigEndian(body, Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(body.Slice(4), NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body.Slice(12), RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(body.Slice(16), PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(body.Slice(20), OctetCount);
        for (int i = 0; i < ReportBlocks.Count; i++)
            ReportBlocks[i].WriteTo(body.Slice(SenderInfoLength + i * RtcpReportBlock.Length));
    }

    /// <summary>Reads the body after the common header; false when the count does not fit the length.</summary>
    internal static bool TryRead(in RtcpHeader header, ReadOnlySpan<byte> body, out RtcpSenderReport? report)
    {
        report = null;
        if (body.Length < SenderInfoLength + header.Count * RtcpReportBlock.Length) return false;
        var blocks = new RtcpReportBlock[header.Count];
        for (int i = 0; i < blocks.Length; i++)
            blocks[i] = RtcpReportBlock.Read(body.Slice(SenderInfoLength + i * RtcpReportBlock.Length));
        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(body),
            BinaryPrimitives.ReadUInt64BigEndian(body.Slice(4)),
            BinaryPrimitives.ReadUInt32BigEndian(body.Slice(12)),
            BinaryPrimitives.ReadUInt32BigEndian(body.Slice(16)),
            BinaryPrimitives.ReadUInt32BigEndian(body.Slice(20)),
            blocks);
        return true;
    }
}
