using Hotline.Media.Rtp;

namespace Hotline.Media.Jitter;

/// <summary>
/// Adaptive jitter buffer for one RTP stream. Packets are ordered by extended sequence number and their
/// payloads copied into preallocated slots; <see cref="Pull"/> is called once per frame interval and
/// gives a frame, a missing frame to conceal, or nothing while filling.
/// <para>
/// Depth adapts to measured delay variation: each packet's transit time (arrival minus media time) is
/// compared with the fastest recent one, the peak of that delay decays slowly, and the target depth is
/// one frame plus the peak in frames, within [MinDepth, MaxDepth]. Depth grows at once (playout waits
/// when the next packet is not there, and holds when the target rose), and shrinks without throwing away
/// audio that arrived in time: holes are skipped rather than concealed while above target, and a new
/// talk spurt (marker bit on an empty buffer) starts from the target depth.
/// </para>
/// Slots start <see cref="JitterBufferOptions.InitialPayloadSize"/> bytes wide (what the negotiated packet
/// time needs) and are widened once, up to <see cref="JitterBufferOptions.MaxPayloadSize"/>, when a longer
/// packet arrives: a peer may send longer packets than it signalled, but sizing every stream's slots for
/// the longest packet any codec allows cost most of a call's memory.
/// Time comes only from the parameters. Push and Pull allocate nothing in steady state.
/// </summary>
public sealed class JitterBuffer
{
    private enum SlotState : byte { Empty, Filled, Played }

    private struct Slot
    {
        public long Sequence;
        public int Length;
        public uint Timestamp;
        public byte PayloadType;
        public bool Marker;
        public SlotState State;
    }

    private const long SequenceOrigin = 1L << 32; // extended numbers stay positive
    private const long TimestampOrigin = 1L << 40;

    private readonly JitterBufferOptions _options;
    private readonly Slot[] _slots;
    private byte[] _payloads;
    private int _stride;        // bytes per slot in _payloads
    private readonly int _mask;
    private readonly long _frameTicks;
    private readonly uint _timestampsPerFrame;

    private bool _started;
    private uint _ssrc;
    private bool _playing;
    private long _highest;      // highest extended sequence number stored
    private long _floor;        // below this, packets are late
    private long _next;         // next to play (while playing)
    private int _count;         // filled slots
    private TimeSpan _fillStart;
    private int _waiting;       // Missing results in a row without consuming a sequence number
    private long _lastPlayedSequence = -1;
    private uint _lastPlayedTimestamp;
    private int _growBy;        // frames of depth still to add after the target rose
    private bool _haveProbe;
    private ushort _probe;

    private bool _haveTransit;
    private long _lastTimestamp; // extended
    private long _baseline;      // fastest recent transit, in ticks
    private long _peakDelay;     // decaying peak of transit above the baseline, in ticks

    public JitterBuffer(JitterBufferOptions? options = null)
    {
        _options = options ?? new JitterBufferOptions();
        _options.Validate();
        _slots = new Slot[_options.Capacity];
        _stride = _options.InitialPayloadSize is > 0 and var initial ? Math.Min(initial, _options.MaxPayloadSize) : _options.MaxPayloadSize;
        _payloads = new byte[_options.Capacity * _stride];
        _mask = _options.Capacity - 1;
        _frameTicks = _options.FrameDuration.Ticks;
        _timestampsPerFrame = (uint)(_options.ClockRate * _frameTicks / TimeSpan.TicksPerSecond);
        TargetDepth = _options.MinDepth;
    }

    public JitterBufferOptions Options => _options;

    public long Received { get; private set; }
    public long Played { get; private set; }
    /// <summary>Missing results given (each one a frame the caller concealed).</summary>
    public long Concealed { get; private set; }
    /// <summary>Sequence numbers given up as lost (concealed or skipped).</summary>
    public long Lost { get; private set; }
    public long Late { get; private set; }
    public long Duplicates { get; private set; }
    /// <summary>Frames dropped because the buffer would exceed MaxDepth or its capacity.</summary>
    public long Overflows { get; private set; }
    public long Oversized { get; private set; }
    public long Resyncs { get; private set; }

    /// <summary>The depth the buffer aims at, in frames, from the measured jitter.</summary>
    public int TargetDepth { get; private set; }

    /// <summary>Frames from the next to play to the newest received, holes included.</summary>
    public int BufferedFrames => _count == 0 ? 0 : (int)(_highest - (_playing ? _next : LowestStored()) + 1);

    /// <summary>Peak delay variation the depth is based on.</summary>
    public TimeSpan PeakJitter => TimeSpan.FromTicks(_peakDelay);

    public JitterBufferPushResult Push(in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        Received++;
        if (payload.Length > _options.MaxPayloadSize)
        {
            Oversized++;
            return JitterBufferPushResult.TooLarge;
        }
        if (payload.Length > _stride)
            Widen(payload.Length);
        if (!_started || header.Ssrc != _ssrc)
        {
            Restart(header, now);
            Store(header, SequenceOrigin + header.SequenceNumber, payload, now);
            return JitterBufferPushResult.Resynced;
        }

        long sequence = RtpSerial.Extend(header.SequenceNumber, _highest);
        long ahead = sequence - _highest;
        if (ahead >= _options.Capacity || sequence < _floor - 4 * _options.Capacity)
        {
            // Far outside the window: a stray packet, or the sender jumped. A marked packet starts a talk
            // spurt, and a second packet right after the first confirms the jump (as RFC 3550 A.1 does).
            bool confirmed = _haveProbe && header.SequenceNumber == (ushort)(_probe + 1);
            if (header.Marker || confirmed)
            {
                Restart(header, now);
                Store(header, SequenceOrigin + header.SequenceNumber, payload, now);
                return JitterBufferPushResult.Resynced;
            }
            _haveProbe = true;
            _probe = header.SequenceNumber;
            return JitterBufferPushResult.OutOfWindow;
        }
        _haveProbe = false;
        UpdateJitter(header.Timestamp, now);

        ref Slot slot = ref _slots[sequence & _mask];
        if (slot.Sequence == sequence && slot.State != SlotState.Empty)
        {
            Duplicates++;
            return JitterBufferPushResult.Duplicate;
        }
        if (sequence < _floor)
        {
            Late++;
            return JitterBufferPushResult.Late;
        }

        // A talk spurt after silence: nothing left to play, so start it at the target depth again.
        if (header.Marker && _playing && _count == 0 && sequence > _highest)
        {
            _playing = false;
            _fillStart = now;
        }

        if (_playing && sequence - _next >= _options.Capacity) DropBelow(sequence - _options.Capacity + 1);
        else if (!_playing && _count > 0 && sequence - LowestStored() >= _options.Capacity) DropBelow(sequence - _options.Capacity + 1);
        Store(header, sequence, payload, now);
        return JitterBufferPushResult.Stored;
    }

    /// <summary>
    /// Gives the media for one frame interval. On <see cref="JitterBufferStatus.Frame"/> the payload is in
    /// <paramref name="payload"/>, which must hold <see cref="JitterBufferOptions.MaxPayloadSize"/> bytes.
    /// </summary>
    public JitterBufferResult Pull(TimeSpan now, Span<byte> payload)
    {
        if (!_playing)
        {
            if (_count == 0) return JitterBufferResult.Buffering;
            long lowest = LowestStored();
            if (_highest - lowest + 1 < TargetDepth && now - _fillStart < TargetDepth * _options.FrameDuration)
                return JitterBufferResult.Buffering;
            _playing = true;
            _next = lowest;
            _floor = lowest;
            _waiting = 0;
        }

        long span = _highest - _next + 1;
        if (span > _options.MaxDepth)
        {
            DropBelow(_highest - _options.MaxDepth + 1);
            span = _options.MaxDepth;
        }

        if (span >= TargetDepth) _growBy = 0;
        bool underrun = span <= 0;
        if (underrun || _growBy > 0)
        {
            // Underrun, or the target rose: wait for the next packet instead of giving it up. Either way
            // the playout falls one frame further behind the arrivals, which is how depth grows.
            if (underrun && _waiting >= _options.MaxConcealedFrames)
            {
                _playing = false;
                _fillStart = now;
                _growBy = 0;
                return JitterBufferResult.Buffering;
            }
            if (_growBy > 0) _growBy--;
            _waiting++;
            Concealed++;
            return Missing(consumed: false);
        }

        ref Slot slot = ref _slots[_next & _mask];
        if (!(slot.State == SlotState.Filled && slot.Sequence == _next))
        {
            if (span <= TargetDepth)
            {
                Lost++;
                Concealed++;
                var missing = Missing(consumed: true);
                _next++;
                _floor = _next;
                return missing;
            }
            // Deeper than needed: skip the hole rather than conceal it; the buffer shrinks by a frame.
            while (!(_slots[_next & _mask].State == SlotState.Filled && _slots[_next & _mask].Sequence == _next))
            {
                Lost++;
                _next++;
            }
            slot = ref _slots[_next & _mask];
        }

        slot.State = SlotState.Played;
        _count--;
        _waiting = 0;
        Played++;
        _payloads.AsSpan((int)(_next & _mask) * _stride, slot.Length).CopyTo(payload);
        _lastPlayedSequence = _next;
        _lastPlayedTimestamp = slot.Timestamp;
        _next++;
        _floor = _next;
        return new JitterBufferResult(JitterBufferStatus.Frame, slot.Length, (ushort)slot.Sequence, slot.Timestamp,
            slot.PayloadType, slot.Marker, SequenceConsumed: true);
    }

    private JitterBufferResult Missing(bool consumed)
    {
        uint timestamp = _lastPlayedSequence < 0
            ? 0
            : _lastPlayedTimestamp + (uint)((_next - _lastPlayedSequence) * _timestampsPerFrame);
        return new JitterBufferResult(JitterBufferStatus.Missing, 0, (ushort)_next, timestamp, 0, false, consumed);
    }

    private void Store(in RtpHeader header, long sequence, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        if (!_playing && _count == 0) _fillStart = now;
        ref Slot slot = ref _slots[sequence & _mask];
        slot.Sequence = sequence;
        slot.Length = payload.Length;
        slot.Timestamp = header.Timestamp;
        slot.PayloadType = header.PayloadType;
        slot.Marker = header.Marker;
        slot.State = SlotState.Filled;
        payload.CopyTo(_payloads.AsSpan((int)(sequence & _mask) * _stride));
        _count++;
        if (sequence > _highest) _highest = sequence;
    }

    /// <summary>Bytes of payload storage the slots hold now (they widen on a longer packet).</summary>
    public int SlotPayloadSize => _stride;

    /// <summary>Forgets every packet, statistic and the measured jitter: as new, keeping the slots' storage.</summary>
    public void Reset()
    {
        Array.Clear(_slots);
        _started = false;
        _ssrc = 0;
        _playing = false;
        _highest = _floor = _next = 0;
        _count = 0;
        _fillStart = default;
        _waiting = 0;
        _lastPlayedSequence = -1;
        _lastPlayedTimestamp = 0;
        _growBy = 0;
        _haveProbe = false;
        _probe = 0;
        _haveTransit = false;
        _lastTimestamp = _baseline = _peakDelay = 0;
        Received = Played = Concealed = Lost = Late = Duplicates = Overflows = Oversized = Resyncs = 0;
        TargetDepth = _options.MinDepth;
    }

    // A packet longer than the slots: widen them (at least doubling, so a stream that grows step by step
    // reallocates only a few times), moving what is stored.
    private void Widen(int length)
    {
        int stride = Math.Min(_options.MaxPayloadSize, Math.Max(length, _stride * 2));
        var payloads = new byte[_options.Capacity * stride];
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].State == SlotState.Filled)
                _payloads.AsSpan(i * _stride, _slots[i].Length).CopyTo(payloads.AsSpan(i * stride));
        }
        _payloads = payloads;
        _stride = stride;
    }

    // Gives up every frame below `sequence` (they would not fit, or exceed MaxDepth).
    private void DropBelow(long sequence)
    {
        long from = _playing ? _next : LowestStored();
        for (long s = from; s < sequence; s++)
        {
            ref Slot slot = ref _slots[s & _mask];
            if (slot.State == SlotState.Filled && slot.Sequence == s)
            {
                slot.State = SlotState.Empty;
                _count--;
                Overflows++;
            }
        }
        if (_playing) _next = sequence;
        if (sequence > _floor) _floor = sequence;
    }

    private long LowestStored()
    {
        for (long s = _highest - _mask; s <= _highest; s++)
        {
            ref Slot slot = ref _slots[s & _mask];
            if (slot.State == SlotState.Filled && slot.Sequence == s) return s;
        }
        return _highest + 1;
    }

    private void Restart(in RtpHeader header, TimeSpan now)
    {
        if (_started) Resyncs++;
        _started = true;
        _ssrc = header.Ssrc;
        Array.Clear(_slots);
        _count = 0;
        _playing = false;
        _highest = SequenceOrigin + header.SequenceNumber;
        _floor = _highest - _mask; // before playout starts, earlier packets may still arrive reordered
        _haveProbe = false;
        _haveTransit = false; // a new media clock: transit times start over (the peak is kept)
        _lastPlayedSequence = -1;
        _waiting = 0;
        _growBy = 0;
        _fillStart = now;
        UpdateJitter(header.Timestamp, now);
    }

    private void UpdateJitter(uint timestamp, TimeSpan now)
    {
        long extended = _haveTransit ? RtpSerial.Extend(timestamp, _lastTimestamp) : TimestampOrigin + timestamp;
        long transit = now.Ticks - extended * TimeSpan.TicksPerSecond / _options.ClockRate;
        if (!_haveTransit)
        {
            _haveTransit = true;
            _lastTimestamp = extended;
            _baseline = transit;
            return;
        }
        if (extended > _lastTimestamp) _lastTimestamp = extended;

        // The baseline follows the fastest packets down at once and creeps up slowly, so clock drift
        // between the sender and us does not read as ever-growing delay.
        if (transit < _baseline) _baseline = transit;
        else _baseline += (transit - _baseline) >> 10;

        long delay = transit - _baseline;
        _peakDelay -= _peakDelay >> 9; // half-life of about 350 packets: shrink slowly
        if (delay > _peakDelay) _peakDelay = delay; // grow at once

        int target = Math.Clamp(1 + (int)((_peakDelay + _frameTicks - 1) / _frameTicks), _options.MinDepth, _options.MaxDepth);
        if (target > TargetDepth && _playing) _growBy += target - TargetDepth;
        TargetDepth = target;
    }
}
