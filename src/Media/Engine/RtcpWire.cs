using System.Buffers.Binary;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// Our RTCP compound packets written and the peer's read straight from bytes (RFC 3550 §6.4-§6.6), so
/// that thousands of legs reporting every few seconds allocate nothing: on a media server a garbage
/// collection pauses every worker, which every relayed packet would feel. Only the fields a leg uses
/// are read; the checks are those of Appendix A.2 (version 2, SR or RR first, lengths that add up).
/// </summary>
internal static class RtcpWire
{
    private const int SenderInfoLength = 20;

    /// <summary>
    /// Writes SR (when <paramref name="sender"/> is given) or RR with at most one report block, SDES with our
    /// CNAME, and a BYE when <paramref name="bye"/>. Returns the length; the buffer must hold 200 + CNAME bytes.
    /// </summary>
    public static int WriteReport(Span<byte> buffer, uint ssrc, in SenderInfo? sender, in RtcpReportBlock? block,
        ReadOnlySpan<byte> cname, bool bye)
    {
        int blocks = block is null ? 0 : 1;
        int offset = 0;
        if (sender is { } info)
        {
            int length = RtcpHeader.Length + 4 + SenderInfoLength + blocks * RtcpReportBlock.Length;
            new RtcpHeader(false, blocks, (byte)RtcpPacketType.SenderReport, length / 4 - 1).WriteTo(buffer);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
            BinaryPrimitives.WriteUInt64BigEndian(buffer[8..], info.NtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[16..], info.RtpTimestamp);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[20..], info.PacketCount);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[24..], info.OctetCount);
            offset = 28;
        }
        else
        {
            new RtcpHeader(false, blocks, (byte)RtcpPacketType.ReceiverReport, (RtcpHeader.Length + 4 + blocks * RtcpReportBlock.Length) / 4 - 1).WriteTo(buffer);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
            offset = 8;
        }
        if (block is { } b)
        {
            b.WriteTo(buffer[offset..]);
            offset += RtcpReportBlock.Length;
        }

        // SDES (§6.5): one chunk, our SSRC and CNAME, then END and zero padding to a 32-bit boundary.
        int chunk = (4 + 2 + cname.Length + 4) & ~3;
        var sdes = buffer.Slice(offset, RtcpHeader.Length + chunk);
        sdes.Clear();
        new RtcpHeader(false, 1, (byte)RtcpPacketType.SourceDescription, sdes.Length / 4 - 1).WriteTo(sdes);
        BinaryPrimitives.WriteUInt32BigEndian(sdes[4..], ssrc);
        sdes[8] = (byte)SdesItemType.CName;
        sdes[9] = (byte)cname.Length;
        cname.CopyTo(sdes[10..]);
        offset += sdes.Length;

        if (bye)
        {
            // §6.6: BYE with our SSRC and no reason.
            new RtcpHeader(false, 1, (byte)RtcpPacketType.Goodbye, 1).WriteTo(buffer[offset..]);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(offset + 4)..], ssrc);
            offset += 8;
        }
        return offset;
    }

    /// <summary>
    /// Walks a compound packet from the peer. Calls back for its sender report and for report blocks on
    /// <paramref name="ourSsrc"/>; says whether it contained a BYE. False when it is not valid RTCP.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, uint ourSsrc, out PeerReport report)
    {
        report = default;
        int offset = 0;
        bool first = true;
        while (offset < datagram.Length)
        {
            if (!RtcpHeader.TryRead(datagram[offset..], out var header))
                return false;
            int length = header.PacketLength;
            if (length > datagram.Length - offset)
                return false;
            if (header.Padding && offset + length != datagram.Length)
                return false; // §A.2: padding only in the last packet
            bool sr = header.PacketType == (byte)RtcpPacketType.SenderReport;
            bool rr = header.PacketType == (byte)RtcpPacketType.ReceiverReport;
            if (first && !sr && !rr)
                return false;
            first = false;
            var body = datagram.Slice(offset + RtcpHeader.Length, length - RtcpHeader.Length);
            if (sr || rr)
            {
                int blocksAt = 4 + (sr ? SenderInfoLength : 0);
                if (body.Length < blocksAt + header.Count * RtcpReportBlock.Length)
                    return false;
                if (sr)
                {
                    report.HasSenderReport = true;
                    report.SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
                    report.SenderNtp = BinaryPrimitives.ReadUInt64BigEndian(body[4..]);
                }
                for (int i = 0; i < header.Count; i++)
                {
                    var block = RtcpReportBlock.Read(body[(blocksAt + i * RtcpReportBlock.Length)..]);
                    if (block.Ssrc == ourSsrc)
                    {
                        report.HasBlockOnUs = true;
                        report.BlockOnUs = block;
                    }
                }
            }
            else if (header.PacketType == (byte)RtcpPacketType.Goodbye)
            {
                report.Goodbye = true;
            }
            offset += length;
        }
        return offset > 0;
    }

    /// <summary>The sender-info fields of an SR (§6.4.1).</summary>
    public readonly record struct SenderInfo(ulong NtpTimestamp, uint RtpTimestamp, uint PacketCount, uint OctetCount);

    /// <summary>What a leg takes from the peer's compound packet.</summary>
    public struct PeerReport
    {
        public bool HasSenderReport;
        public uint SenderSsrc;
        public ulong SenderNtp;
        public bool HasBlockOnUs;
        public RtcpReportBlock BlockOnUs;
        public bool Goodbye;
    }
}
