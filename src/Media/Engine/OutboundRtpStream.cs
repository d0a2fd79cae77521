using System.Net;
using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// What one leg sends: a single RTP stream with our own SSRC, whatever its audio comes from. The far end
/// sees one source whose sequence numbers and timestamps run on (RFC 3550 §5.1) while the audio switches
/// between packets relayed from the other leg, frames the engine generates (prompts, tones, transcoded
/// audio) and RFC 4733 events.
/// <para>
/// Relayed packets keep their spacing: their sequence number and timestamp are shifted by offsets fixed
/// when the relayed source starts (or changes SSRC), so reordering, loss and silence gaps pass through
/// unchanged. Generated frames count on from the previous frame. Whenever the origin changes, the first
/// packet carries the marker bit and a timestamp that continues the media clock by the time elapsed, so
/// the far end's jitter buffer resynchronises rather than reading a jump as delay.
/// </para>
/// Allocates nothing per packet.
/// </summary>
internal sealed class OutboundRtpStream
{
    private const int LocalOrigin = -1;
    private const int EventOrigin = -2;

    // One buffer per thread (a worker builds one packet at a time): it stays in the CPU's cache, where a
    // buffer per leg would be a cold miss on every packet of a server with thousands of legs.
    [ThreadStatic]
    private static byte[]? t_packet;

    private readonly IRtpSink _sink;
    private int _clockRate = 8000;

    private int _origin = LocalOrigin;
    private bool _running;           // at least one packet of the current origin went out
    private uint _originSsrc;
    private ushort _sequenceOffset;
    private uint _timestampOffset;
    private ushort _nextSequence;
    private long _lastLocalTick = long.MinValue;
    private uint _nextLocalTimestamp;

    // The media clock: the timestamp of the audio sent at a moment, extrapolated in between.
    private bool _haveAnchor;
    private uint _anchorTimestamp;
    private TimeSpan _anchorTime;

    public OutboundRtpStream(IRtpSink sink, uint ssrc, ushort initialSequence, uint initialTimestamp)
    {
        _sink = sink;
        Ssrc = ssrc;
        _nextSequence = initialSequence;
        _anchorTimestamp = initialTimestamp;
    }

    public uint Ssrc { get; }

    public RtpSenderStatistics Sent { get; } = new();

    /// <summary>Packets the socket refused (buffer full, unreachable).</summary>
    public long SendErrors { get; private set; }

    /// <summary>
    /// The stream's clock changed (a new codec): timestamps of the old clock mean nothing in the new one,
    /// so the next packet restarts the mapping from the elapsed time.
    /// </summary>
    public void SetClockRate(int clockRate, TimeSpan now)
    {
        if (clockRate == _clockRate)
            return;
        uint continued = ContinueTimestamp(now);
        _clockRate = clockRate;
        _anchorTimestamp = continued;
        _anchorTime = now;
        Interrupt();
    }

    /// <summary>The timestamp that continues our media clock at <paramref name="now"/>.</summary>
    public uint ContinueTimestamp(TimeSpan now) => !_haveAnchor
        ? _anchorTimestamp
        : _anchorTimestamp + (uint)((now - _anchorTime).Ticks * _clockRate / TimeSpan.TicksPerSecond);

    /// <summary>The next packet, of whatever origin, starts afresh (marker, continued clock).</summary>
    public void Interrupt() => _running = false;

    /// <summary>
    /// Relays a packet of <paramref name="source"/> (the other leg's id) with its timing, under our SSRC and
    /// <paramref name="payloadType"/>. Telephone-event packets keep the event's timestamp and do not move
    /// the media clock (RFC 4733 §2.3.1: all packets of an event carry its start time).
    /// </summary>
    public bool Relay(int source, in RtpHeader header, ReadOnlySpan<byte> payload, byte payloadType, bool isEvent,
        SocketAddress destination, TimeSpan now)
    {
        bool marker = header.Marker;
        if (!_running || _origin != source || header.Ssrc != _originSsrc)
        {
            _origin = source;
            _originSsrc = header.Ssrc;
            _timestampOffset = ContinueTimestamp(now) - header.Timestamp;
            _sequenceOffset = (ushort)(_nextSequence - header.SequenceNumber);
            _running = true;
            marker = true;
        }
        ushort sequence = (ushort)(header.SequenceNumber + _sequenceOffset);
        uint timestamp = header.Timestamp + _timestampOffset;
        if (RtpSerial.IsNewer(sequence, (ushort)(_nextSequence - 1)))
            _nextSequence = (ushort)(sequence + 1);
        if (!isEvent)
            Anchor(timestamp, now);
        return Send(payloadType, sequence, timestamp, marker, payload, destination, now);
    }

    /// <summary>
    /// Sends one generated frame of <paramref name="timestampIncrement"/> units for engine tick
    /// <paramref name="tick"/>. Frames of consecutive ticks get consecutive timestamps.
    /// </summary>
    public bool SendFrame(byte payloadType, ReadOnlySpan<byte> payload, int timestampIncrement, long tick,
        SocketAddress destination, TimeSpan now)
    {
        bool marker = false;
        uint timestamp;
        if (_running && _origin == LocalOrigin && tick == _lastLocalTick + 1)
        {
            timestamp = _nextLocalTimestamp;
        }
        else
        {
            timestamp = ContinueTimestamp(now);
            marker = true;
            _origin = LocalOrigin;
            _running = true;
        }
        _lastLocalTick = tick;
        _nextLocalTimestamp = timestamp + (uint)timestampIncrement;
        Anchor(timestamp, now);
        return Send(payloadType, _nextSequence++, timestamp, marker, payload, destination, now);
    }

    /// <summary>Sends one RFC 4733 event packet we originate; <paramref name="eventTimestamp"/> is the event's start.</summary>
    public bool SendEvent(byte payloadType, in Rfc4733Event evt, bool marker, uint eventTimestamp, SocketAddress destination, TimeSpan now)
    {
        if (_origin != EventOrigin)
        {
            _origin = EventOrigin;
            _running = true;
        }
        Span<byte> payload = stackalloc byte[Rfc4733Event.Length];
        evt.WriteTo(payload);
        return Send(payloadType, _nextSequence++, eventTimestamp, marker, payload, destination, now);
    }

    private void Anchor(uint timestamp, TimeSpan now)
    {
        _anchorTimestamp = timestamp;
        _anchorTime = now;
        _haveAnchor = true;
    }

    private bool Send(byte payloadType, ushort sequence, uint timestamp, bool marker, ReadOnlySpan<byte> payload,
        SocketAddress destination, TimeSpan now)
    {
        var packet = t_packet ??= new byte[RtpHeader.FixedLength + 1500];
        if (payload.Length > packet.Length - RtpHeader.FixedLength)
        {
            SendErrors++;
            return false;
        }
        var header = new RtpHeader(payloadType, sequence, timestamp, Ssrc, marker, 0, false, 0, 0, 0, payload.Length);
        header.WriteTo(packet);
        payload.CopyTo(packet.AsSpan(RtpHeader.FixedLength));
        if (!_sink.SendRtp(packet.AsSpan(0, RtpHeader.FixedLength + payload.Length), destination))
        {
            SendErrors++;
            return false;
        }
        Sent.OnPacketSent(header, now);
        return true;
    }
}
