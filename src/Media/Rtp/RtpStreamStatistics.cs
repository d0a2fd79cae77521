namespace Hotline.Media.Rtp;

/// <summary>
/// Reception statistics of the one remote source of a stream: RFC 3550 A.1 (sequence validation), A.3
/// (expected, lost, fraction lost since the last report) and A.8 (interarrival jitter). A change of the
/// peer's SSRC starts the statistics over. Time is passed in; no allocation per packet.
/// </summary>
public sealed class RtpStreamStatistics
{
    private readonly int _clockRate;
    private RtpSequenceTracker _sequence;
    private bool _haveSource;
    private bool _haveTransit;
    private uint _transit;
    private uint _jitterScaled; // jitter * 16, as in A.8
    private uint _expectedPrior;
    private uint _receivedPrior;
    private ulong _lastSenderReportNtp;
    private TimeSpan _lastSenderReportArrival;
    private bool _haveSenderReport;

    /// <param name="clockRate">RTP timestamp rate of the stream's payload (8000 for G.711, 48000 for Opus).</param>
    public RtpStreamStatistics(int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clockRate, 1);
        _clockRate = clockRate;
    }

    /// <summary>The peer's current SSRC (valid once a packet was seen).</summary>
    public uint Ssrc { get; private set; }

    /// <summary>Times the peer switched to a new SSRC and the statistics were started over.</summary>
    public int SsrcChanges { get; private set; }

    /// <summary>Packets dropped by A.1 validation (probation or an unconfirmed large jump).</summary>
    public long PacketsDiscarded { get; private set; }

    public bool IsValid => _sequence.IsValid;
    public uint Received => _sequence.Received;
    public uint ExtendedHighestSequence => _sequence.ExtendedHighest;

    /// <summary>Packets expected since the start: extended_max - base_seq + 1 (A.3).</summary>
    public uint Expected => _sequence.IsValid ? _sequence.ExtendedHighest - _sequence.BaseSequence + 1 : 0;

    /// <summary>Packets lost since the start, clamped to the 24-bit signed field (A.3); negative with duplicates.</summary>
    public int CumulativeLost =>
        (int)Math.Clamp((long)Expected - Received, RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.MaxCumulativeLost);

    /// <summary>Interarrival jitter in timestamp units (A.8: the estimate scaled by 16, reported shifted down).</summary>
    public uint Jitter => _jitterScaled >> 4;

    /// <summary>Interarrival jitter as time.</summary>
    public TimeSpan JitterTime => TimeSpan.FromTicks((long)Jitter * TimeSpan.TicksPerSecond / _clockRate);

    /// <summary>
    /// Accounts one received packet. <paramref name="arrival"/> is a monotonic clock reading (e.g. from
    /// <see cref="TimeProvider.GetElapsedTime(long)"/>), converted to timestamp units for the jitter.
    /// Returns what A.1 made of the sequence number.
    /// </summary>
    public RtpSequenceStatus OnPacket(in RtpHeader header, TimeSpan arrival)
    {
        if (!_haveSource || header.Ssrc != Ssrc)
        {
            if (_haveSource) SsrcChanges++;
            Reset(header.Ssrc);
        }

        var status = _sequence.Update(header.SequenceNumber);
        switch (status)
        {
            case RtpSequenceStatus.Probation:
            case RtpSequenceStatus.BadJump:
                PacketsDiscarded++;
                return status;
            case RtpSequenceStatus.Resynced:
                // The sender restarted: counts and transit times of the old run mean nothing now.
                _expectedPrior = 0;
                _receivedPrior = 0;
                _haveTransit = false;
                break;
        }
        UpdateJitter(header.Timestamp, arrival);
        return status;
    }

    /// <summary>Notes an SR from this source, for the LSR/DLSR fields of our next report block (§6.4.1).</summary>
    public void OnSenderReport(ulong ntpTimestamp, TimeSpan arrival)
    {
        _lastSenderReportNtp = ntpTimestamp;
        _lastSenderReportArrival = arrival;
        _haveSenderReport = true;
    }

    /// <summary>
    /// Makes the report block for the next SR/RR and starts a new reporting interval (A.3: the fraction lost
    /// is over the packets expected since the previous call).
    /// </summary>
    public RtcpReportBlock CreateReportBlock(TimeSpan now)
    {
        uint expected = Expected;
        uint expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        uint receivedInterval = Received - _receivedPrior;
        _receivedPrior = Received;
        long lostInterval = (long)expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)((lostInterval << 8) / expectedInterval);

        uint lsr = 0, dlsr = 0;
        if (_haveSenderReport)
        {
            lsr = NtpTimestamp.Middle32(_lastSenderReportNtp);
            long delayTicks = Math.Max(0, (now - _lastSenderReportArrival).Ticks);
            dlsr = (uint)Math.Min(uint.MaxValue, delayTicks * 65536 / TimeSpan.TicksPerSecond);
        }
        return new RtcpReportBlock(Ssrc, fraction, CumulativeLost, ExtendedHighestSequence, Jitter, lsr, dlsr);
    }

    private void UpdateJitter(uint rtpTimestamp, TimeSpan arrival)
    {
        // A.8: transit = arrival (in timestamp units) - timestamp, modulo 2^32; J += (|D| - J) / 16.
        uint arrivalUnits = (uint)ToTimestampUnits(arrival.Ticks);
        uint transit = arrivalUnits - rtpTimestamp;
        if (_haveTransit)
        {
            int d = (int)(transit - _transit);
            if (d < 0) d = -d;
            _jitterScaled = (uint)(_jitterScaled + d - ((_jitterScaled + 8) >> 4));
        }
        _transit = transit;
        _haveTransit = true;
    }

    private long ToTimestampUnits(long ticks) =>
        ticks / TimeSpan.TicksPerSecond * _clockRate + ticks % TimeSpan.TicksPerSecond * _clockRate / TimeSpan.TicksPerSecond;

    private void Reset(uint ssrc)
    {
        Ssrc = ssrc;
        _haveSource = true;
        _sequence = default;
        _haveTransit = false;
        _jitterScaled = 0;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _haveSenderReport = false;
        PacketsDiscarded = 0;
    }
}
