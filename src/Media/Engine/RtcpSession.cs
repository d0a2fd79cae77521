using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// RTCP of one leg (RFC 3550 §6): schedules our compound reports (SR while we send, else RR, then SDES
/// CNAME; a BYE when the leg closes) and reads the peer's, taking the sender-report times for our
/// report blocks' LSR/DLSR and the round-trip time from the blocks that report on us (§6.4.1).
/// Reports are written and read as bytes (<see cref="RtcpWire"/>): nothing here allocates.
/// </summary>
internal sealed class RtcpSession
{
    // §6.2: RTCP gets 5 % of the session bandwidth. Our codecs run at 64 kbit/s at most, plus headers.
    private const double RtcpBandwidthOctetsPerSecond = 0.05 * 80_000 / 8;
    // IPv4 + UDP headers count towards the average size (§6.3.1).
    private const int IpUdpHeaders = 28;

    private readonly uint _ssrc;
    private readonly byte[] _cname;
    private readonly int _clockRate;
    private readonly TimeSpan _minimum;
    private readonly Random _random;
    private readonly byte[] _buffer;
    private uint _packetCountAtLastReport;
    private double _averageSize = 100;
    private bool _initial = true;
    private TimeSpan _next;
    private bool _scheduled;

    public RtcpSession(uint ssrc, string cname, int clockRate, TimeSpan minimum, Random random)
    {
        ArgumentException.ThrowIfNullOrEmpty(cname);
        _ssrc = ssrc;
        _cname = System.Text.Encoding.UTF8.GetBytes(cname);
        if (_cname.Length > 255)
            throw new ArgumentException("CNAME longer than 255 bytes", nameof(cname));
        _clockRate = clockRate;
        _minimum = minimum;
        _random = random;
        _buffer = new byte[256 + _cname.Length];
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
    /// An SR when we sent since the last report (§6.4), with one block for the peer once its stream is valid.
    /// </summary>
    public ReadOnlySpan<byte> BuildReport(RtpSenderStatistics sent, RtpStreamStatistics? received, DateTimeOffset wallClock,
        TimeSpan now, bool bye = false)
    {
        RtcpWire.SenderInfo? info = null;
        bool weSent = sent.HasSent && sent.PacketCount != _packetCountAtLastReport;
        if (weSent)
        {
            // The SR's RTP timestamp is the media clock at the instant of its NTP timestamp (§6.4.1),
            // extrapolated from the last packet sent.
            long elapsed = Math.Max(0, (now - sent.LastSent).Ticks);
            uint rtpNow = sent.LastTimestamp + (uint)(elapsed * _clockRate / TimeSpan.TicksPerSecond);
            info = new RtcpWire.SenderInfo(NtpTimestamp.FromDateTime(wallClock), rtpNow, sent.PacketCount, sent.OctetCount);
            _packetCountAtLastReport = sent.PacketCount;
        }
        RtcpReportBlock? block = received is { IsValid: true } ? received.CreateReportBlock(now) : null;
        int length = RtcpWire.WriteReport(_buffer, _ssrc, info, block, _cname, bye);
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
        if (!RtcpWire.TryRead(datagram, _ssrc, out var report))
        {
            Malformed++;
            return;
        }
        ReportsReceived++;
        if (report.HasSenderReport && received is { IsValid: true } && report.SenderSsrc == received.Ssrc)
            received.OnSenderReport(report.SenderNtp, now);
        if (report.HasBlockOnUs && report.BlockOnUs.LastSenderReport != 0)
        {
            // §6.4.1: RTT = A - LSR - DLSR, all in units of 1/65536 s (middle 32 bits of NTP time).
            uint arrival = NtpTimestamp.Middle32(NtpTimestamp.FromDateTime(wallClock));
            uint rtt = arrival - report.BlockOnUs.LastSenderReport - report.BlockOnUs.DelaySinceLastSenderReport;
            if (rtt < 65536 * 10)
                RoundTrip = TimeSpan.FromTicks(rtt * TimeSpan.TicksPerSecond / 65536);
        }
        if (report.Goodbye)
            PeerLeft = true;
    }

    private TimeSpan Interval(bool weSent) =>
        RtcpInterval.Next(members: 2, senders: weSent ? 2 : 1, RtcpBandwidthOctetsPerSecond, weSent, _averageSize, _initial,
            _minimum, _random.NextDouble());
}
