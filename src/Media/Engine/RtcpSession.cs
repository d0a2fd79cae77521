using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// RTCP of one leg (RFC 3550 §6): schedules our compound reports (SR while we send, else RR, then SDES
/// CNAME; a BYE when the leg closes) and reads the peer's, taking the sender-report times for our
/// report blocks' LSR/DLSR and the round-trip time from the blocks that report on us (§6.4.1).
/// Reports go out every few seconds, so building them may allocate; nothing here is per RTP packet.
/// </summary>
internal sealed class RtcpSession
{
    // §6.2: RTCP gets 5 % of the session bandwidth. Our codecs run at 64 kbit/s at most, plus headers.
    private const double RtcpBandwidthOctetsPerSecond = 0.05 * 80_000 / 8;
    // IPv4 + UDP headers count towards the average size (§6.3.1).
    private const int IpUdpHeaders = 28;

    private readonly RtcpReportBuilder _builder;
    private readonly TimeSpan _minimum;
    private readonly Random _random;
    private readonly byte[] _buffer = new byte[1500];
    private readonly RtpStreamStatistics[] _received = new RtpStreamStatistics[1];
    private double _averageSize = 100;
    private bool _initial = true;
    private TimeSpan _next;
    private bool _scheduled;

    public RtcpSession(uint ssrc, string cname, int clockRate, TimeSpan minimum, Random random)
    {
        _builder = new RtcpReportBuilder(ssrc, cname, clockRate);
        _minimum = minimum;
        _random = random;
    }

    public long ReportsSent { get; private set; }
    public long ReportsReceived { get; private set; }
    public long Malformed { get; private set; }

    /// <summary>The peer said BYE (RFC 3550 §6.6).</summary>
    public bool PeerLeft { get; private set; }

    /// <summary>Round-trip time from the peer's last report block on our stream, if it had one.</summary>
    public TimeSpan? RoundTrip { get; private set; }

    /// <summary>When the next report is due (for tests).</summary>
    public TimeSpan NextReport => _next;

    /// <summary>Starts the schedule: the first report after the initial interval.</summary>
    public void Start(TimeSpan now, bool weSent)
    {
        if (_scheduled)
            return;
        _scheduled = true;
        _next = now + Interval(weSent);
    }

    public bool IsDue(TimeSpan now) => _scheduled && now >= _next;

    /// <summary>
    /// Writes our compound report into the session's buffer and schedules the next; returns the packet.
    /// With <paramref name="byeReason"/> non-null a BYE ends it (the leg is closing).
    /// </summary>
    public ReadOnlySpan<byte> BuildReport(RtpSenderStatistics sent, RtpStreamStatistics? received, DateTimeOffset wallClock,
        TimeSpan now, string? byeReason = null)
    {
        bool weSent = sent.HasSent;
        IReadOnlyList<RtpStreamStatistics> sources = [];
        if (received is not null)
        {
            _received[0] = received;
            sources = _received;
        }
        var compound = _builder.Build(sent, sources, wallClock, now, byeReason);
        int length = compound.WriteTo(_buffer);
        // §6.3.3: avg_rtcp_size = 1/16 * packet_size + 15/16 * avg_rtcp_size
        _averageSize += (length + IpUdpHeaders - _averageSize) / 16;
        ReportsSent++;
        _initial = false;
        _next = now + Interval(weSent);
        return _buffer.AsSpan(0, length);
    }

    /// <summary>Reads a compound packet from the peer; a malformed one is counted and ignored.</summary>
    public void OnPacket(ReadOnlySpan<byte> datagram, RtpStreamStatistics? received, DateTimeOffset wallClock, TimeSpan now)
    {
        if (!RtcpCompoundPacket.TryRead(datagram, out var compound, out _))
        {
            Malformed++;
            return;
        }
        ReportsReceived++;
        foreach (var packet in compound!.Packets)
        {
            switch (packet)
            {
                case RtcpSenderReport sr:
                    if (received is not null && received.IsValid && sr.Ssrc == received.Ssrc)
                        received.OnSenderReport(sr.NtpTimestamp, now);
                    ReadBlocks(sr.ReportBlocks, wallClock);
                    break;
                case RtcpReceiverReport rr:
                    ReadBlocks(rr.ReportBlocks, wallClock);
                    break;
                case RtcpGoodbye:
                    PeerLeft = true;
                    break;
            }
        }
    }

    private void ReadBlocks(IReadOnlyList<RtcpReportBlock> blocks, DateTimeOffset wallClock)
    {
        foreach (var block in blocks)
        {
            if (block.Ssrc != _builder.Ssrc || block.LastSenderReport == 0)
                continue;
            // §6.4.1: RTT = A - LSR - DLSR, all in units of 1/65536 s (middle 32 bits of NTP time).
            uint arrival = NtpTimestamp.Middle32(NtpTimestamp.FromDateTime(wallClock));
            uint rtt = arrival - block.LastSenderReport - block.DelaySinceLastSenderReport;
            if (rtt < 65536 * 10)
                RoundTrip = TimeSpan.FromTicks(rtt * TimeSpan.TicksPerSecond / 65536);
        }
    }

    private TimeSpan Interval(bool weSent) =>
        RtcpInterval.Next(members: 2, senders: weSent ? 2 : 1, RtcpBandwidthOctetsPerSecond, weSent, _averageSize, _initial,
            _minimum, _random.NextDouble());
}
