using Hotline.Media.Rtp;

namespace Hotline.Media.Dtmf;

/// <summary>
/// Turns telephone-event packets (RFC 4733) into key presses, each reported exactly once as Started and
/// once as Ended. An event is identified by its RTP timestamp (§2.5.2.1), not by sequence numbers: the
/// start packet may be repeated, the end packet is sent three times (§2.5.1.4), and real senders (SIPp's
/// pcaps among them) reuse sequence numbers or jump them. A new event before an end ends the previous one
/// (§2.5.2.2), as does silence longer than <see cref="EndTimeout"/>; an event longer than 0xFFFF units
/// arrives in segments that continue it rather than start a new press (§2.5.1.3). No allocation.
/// </summary>
public sealed class Rfc4733Receiver
{
    /// <summary>The most events one packet can produce: the end of an unfinished press, a start and an end.</summary>
    public const int MaxEventsPerPacket = 3;

    // Recently finished event timestamps, so late copies of their packets are dropped.
    private readonly uint[] _finished = new uint[8];
    private int _finishedCount;
    private int _finishedNext;

    private bool _active;
    private uint _activeTimestamp;
    private byte _activeEvent;
    private int _segmentDuration;   // duration seen in the current segment
    private long _earlierSegments;  // duration of the segments before it (long events)
    private TimeSpan _lastPacket;
    private bool _haveSsrc;
    private uint _ssrc;

    /// <param name="payloadType">The telephone-event payload type negotiated in SDP.</param>
    public Rfc4733Receiver(int payloadType)
    {
        PayloadType = payloadType;
    }

    /// <summary>Negotiated telephone-event payload type; packets of other types are ignored.</summary>
    public int PayloadType { get; set; }

    /// <summary>An unfinished press ends after this long without any of its packets.</summary>
    public TimeSpan EndTimeout { get; set; } = TimeSpan.FromSeconds(1);

    public long PacketsReceived { get; private set; }
    public long DuplicatePackets { get; private set; }
    public long MalformedPackets { get; private set; }
    /// <summary>Events that are not DTMF keys (e.g. 16 = hook flash) or out-of-order stale packets.</summary>
    public long IgnoredPackets { get; private set; }

    /// <summary>
    /// Processes one RTP packet of the stream. Writes the resulting events (at most
    /// <see cref="MaxEventsPerPacket"/>) into <paramref name="events"/> and returns how many.
    /// </summary>
    public int Process(in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now, Span<DtmfDigitEvent> events)
    {
        if (header.PayloadType != PayloadType) return 0;
        PacketsReceived++;
        if (!Rfc4733Event.TryRead(payload, out var evt))
        {
            MalformedPackets++;
            return 0;
        }

        int count = 0;
        if (!_haveSsrc || header.Ssrc != _ssrc)
        {
            // A new source is a new stream: whatever was pressed on the old one is over.
            if (_active) count += EndActive(events.Slice(count));
            _finishedCount = 0;
            _ssrc = header.Ssrc;
            _haveSsrc = true;
        }
        _lastPacket = now;

        if (evt.Digit == '\0')
        {
            IgnoredPackets++;
            return count;
        }
        uint timestamp = header.Timestamp;

        if (_active && timestamp == _activeTimestamp)
        {
            if (evt.Event != _activeEvent)
            {
                IgnoredPackets++;
                return count;
            }
            if (evt.Duration > _segmentDuration) _segmentDuration = evt.Duration;
            else if (!evt.End) DuplicatePackets++;
            if (evt.End) count += EndActive(events.Slice(count));
            return count;
        }

        if (IsFinished(timestamp))
        {
            DuplicatePackets++;
            return count;
        }

        if (_active)
        {
            long step = RtpSerial.Difference(timestamp, _activeTimestamp);
            if (evt.Event == _activeEvent && step >= 0xF000 && step <= 0x10000)
            {
                // §2.5.1.3: the next segment of a long event starts 0xFFFF units after the previous one.
                _earlierSegments += step;
                _activeTimestamp = timestamp;
                _segmentDuration = evt.Duration;
                if (evt.End) count += EndActive(events.Slice(count));
                return count;
            }
            if (step < 0)
            {
                // An older event we never saw start, arriving after a newer one: too late to report.
                IgnoredPackets++;
                return count;
            }
            count += EndActive(events.Slice(count));
        }

        _active = true;
        _activeTimestamp = timestamp;
        _activeEvent = evt.Event;
        _segmentDuration = evt.Duration;
        _earlierSegments = 0;
        events[count++] = new DtmfDigitEvent(evt.Digit, DtmfDigitEventKind.Started, timestamp, 0);
        if (evt.End) count += EndActive(events.Slice(count));
        return count;
    }

    /// <summary>Ends a press whose end packets never came, once the stream has been quiet for <see cref="EndTimeout"/>.</summary>
    public int Poll(TimeSpan now, Span<DtmfDigitEvent> events) =>
        _active && now - _lastPacket >= EndTimeout ? EndActive(events) : 0;

    /// <summary>Forget all state (e.g. the negotiated stream changed).</summary>
    public void Reset()
    {
        _active = false;
        _finishedCount = 0;
        _haveSsrc = false;
    }

    private int EndActive(Span<DtmfDigitEvent> events)
    {
        _active = false;
        Remember(_activeTimestamp);
        int duration = (int)Math.Min(int.MaxValue, _earlierSegments + _segmentDuration);
        events[0] = new DtmfDigitEvent(DtmfDigits.FromEventCode(_activeEvent), DtmfDigitEventKind.Ended,
            (uint)(_activeTimestamp - _earlierSegments), duration);
        return 1;
    }

    private void Remember(uint timestamp)
    {
        _finished[_finishedNext] = timestamp;
        _finishedNext = (_finishedNext + 1) % _finished.Length;
        if (_finishedCount < _finished.Length) _finishedCount++;
    }

    private bool IsFinished(uint timestamp)
    {
        for (int i = 0; i < _finishedCount; i++)
            if (_finished[i] == timestamp) return true;
        return false;
    }
}
