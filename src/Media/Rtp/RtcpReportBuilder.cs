namespace Hotline.Media.Rtp;

/// <summary>
/// Builds our periodic RTCP compound packet (RFC 3550 §6.1, §6.4): an SR when we sent RTP since the last
/// report, otherwise an RR, with one report block per remote source we receive, then SDES with our CNAME,
/// then, when leaving, a BYE.
/// </summary>
public sealed class RtcpReportBuilder
{
    private readonly int _senderClockRate;
    private uint _packetCountAtLastReport;

    /// <param name="ssrc">Our SSRC on this stream.</param>
    /// <param name="cname">Our canonical name (§6.5.1), e.g. <c>hotline@10.0.0.5</c> or a random per-call id.</param>
    /// <param name="senderClockRate">Timestamp rate of what we send, to align the SR's RTP timestamp with its NTP time.</param>
    public RtcpReportBuilder(uint ssrc, string cname, int senderClockRate)
    {
        ArgumentException.ThrowIfNullOrEmpty(cname);
        ArgumentOutOfRangeException.ThrowIfLessThan(senderClockRate, 1);
        Ssrc = ssrc;
        CName = cname;
        _senderClockRate = senderClockRate;
    }

    /// <summary>Our SSRC; change it after a collision (§8.2).</summary>
    public uint Ssrc { get; set; }

    public string CName { get; }

    /// <param name="sent">What we sent on the stream, or null for a receive-only stream.</param>
    /// <param name="received">Statistics of the sources we receive; only validated ones get a report block.</param>
    /// <param name="wallClock">Wall-clock time for the SR's NTP timestamp.</param>
    /// <param name="now">Monotonic time on the clock the statistics were fed with.</param>
    /// <param name="byeReason">Non-null to append a BYE for our SSRC (leaving the session).</param>
    public RtcpCompoundPacket Build(RtpSenderStatistics? sent, IReadOnlyList<RtpStreamStatistics> received,
        DateTimeOffset wallClock, TimeSpan now, string? byeReason = null)
    {
        var blocks = new List<RtcpReportBlock>(received.Count);
        foreach (var source in received)
        {
            if (source.IsValid && blocks.Count < 31) blocks.Add(source.CreateReportBlock(now));
        }

        var packets = new List<RtcpPacket>(3);
        if (sent is not null && sent.HasSent && sent.PacketCount != _packetCountAtLastReport)
        {
            // The SR's RTP timestamp is the media clock at the same instant as its NTP timestamp (§6.4.1),
            // extrapolated from the last packet sent.
            long elapsedTicks = Math.Max(0, (now - sent.LastSent).Ticks);
            uint rtpNow = sent.LastTimestamp + (uint)(elapsedTicks * _senderClockRate / TimeSpan.TicksPerSecond);
            packets.Add(new RtcpSenderReport(Ssrc, NtpTimestamp.FromDateTime(wallClock), rtpNow,
                sent.PacketCount, sent.OctetCount, blocks));
            _packetCountAtLastReport = sent.PacketCount;
        }
        else
        {
            packets.Add(new RtcpReceiverReport(Ssrc, blocks));
        }
        packets.Add(new RtcpSourceDescription(Ssrc, CName));
        if (byeReason is not null) packets.Add(new RtcpGoodbye([Ssrc], byeReason.Length == 0 ? null : byeReason));
        return new RtcpCompoundPacket(packets);
    }
}
