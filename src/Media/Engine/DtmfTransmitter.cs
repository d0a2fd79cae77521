using Hotline.Media.Dtmf;

namespace Hotline.Media.Engine;

/// <summary>What <see cref="DtmfTransmitter.Step"/> produced for a tick.</summary>
internal enum DtmfStep
{
    /// <summary>Nothing: the leg's normal audio goes out.</summary>
    None,
    /// <summary>An RFC 4733 event packet to send, in place of audio.</summary>
    Event,
    /// <summary>A frame of dual tone to encode and send, in place of audio.</summary>
    Tone,
}

/// <summary>
/// Digits we send to a peer, the way it negotiated: RFC 4733 telephone-events when its SDP has them,
/// else Q.23 dual tones in the audio. Digits queue and go one after another with a pause between them
/// (Q.24 receivers need one). A live tone follows a key held on the other leg of a bridge: it starts when
/// that key goes down and stops when it comes up. Owned by the leg's worker; stepping allocates nothing.
/// </summary>
internal sealed class DtmfTransmitter
{
    private const int GapTicks = 3;                 // 60 ms between digits
    private const double ToneLevelDbm0 = -8;        // per tone, as phones send
    private static readonly TimeSpan s_minimumLive = TimeSpan.FromMilliseconds(60);
    private static readonly TimeSpan s_maximumLive = TimeSpan.FromSeconds(5);

    private enum State { Idle, Event, Tone, Gap }

    private readonly Queue<(char Digit, TimeSpan Duration)> _queue = new();
    private Rfc4733Sender? _sender;
    private byte _eventPayloadType;
    private int _clockRate = 8000;
    private DtmfToneGenerator _tone = new(8000);
    private State _state;
    private int _gapTicks;
    private long _toneSamplesLeft;
    private long _tonePlayed;
    private bool _live;

    /// <summary>The peer's capability changed (new negotiation): anything under way is abandoned.</summary>
    public void Configure(int? eventPayloadType, int clockRate, int sampleRate)
    {
        _sender = eventPayloadType is int pt ? new Rfc4733Sender(clockRate, TimeSpan.FromMilliseconds(20)) : null;
        _eventPayloadType = (byte)(eventPayloadType ?? 0);
        _clockRate = clockRate;
        if (_tone.SampleRate != sampleRate)
            _tone = new DtmfToneGenerator(Math.Max(sampleRate, 8000));
        _state = State.Idle;
        _live = false;
        _tone.Stop();
    }

    public bool UsesEvents => _sender is not null;
    public byte EventPayloadType => _eventPayloadType;

    /// <summary>Something is playing, waiting in the queue, or pausing between digits.</summary>
    public bool IsActive => _state != State.Idle || _queue.Count > 0;

    /// <summary>An event or tone is going out now, so the bridged audio must wait.</summary>
    public bool OverridesAudio => _state is State.Event or State.Tone;

    /// <summary>Digits sent so far (events or tones started).</summary>
    public long DigitsSent { get; private set; }

    public void Enqueue(char digit, TimeSpan duration)
    {
        if (DtmfDigits.IsDigit(digit))
            _queue.Enqueue((digit, duration));
    }

    /// <summary>Starts a tone that lasts until <see cref="StopLive"/> (a key held on the other leg).</summary>
    public void StartLive(char digit)
    {
        if (!DtmfDigits.IsDigit(digit))
            return;
        _queue.Clear();
        _tone.Start(digit, ToneLevelDbm0);
        _state = State.Tone;
        _live = true;
        _tonePlayed = 0;
        _toneSamplesLeft = Samples(s_maximumLive);
        DigitsSent++;
    }

    /// <summary>The held key came up: the tone ends once it has lasted long enough to be detected.</summary>
    public void StopLive()
    {
        if (!_live || _state != State.Tone)
            return;
        _live = false;
        _toneSamplesLeft = Math.Max(0, Samples(s_minimumLive) - _tonePlayed);
    }

    /// <summary>
    /// Advances one tick. For <see cref="DtmfStep.Event"/>, <paramref name="evt"/>, <paramref name="marker"/> and
    /// <paramref name="eventTimestamp"/> describe the packet; for <see cref="DtmfStep.Tone"/>, <paramref name="frame"/>
    /// holds the tone. <paramref name="mediaTimestamp"/> is the sender's media clock now (an event starts there).
    /// </summary>
    public DtmfStep Step(uint mediaTimestamp, Span<short> frame, out Rfc4733Event evt, out bool marker, out uint eventTimestamp)
    {
        evt = default;
        marker = false;
        eventTimestamp = 0;
        if (_state == State.Gap)
        {
            if (--_gapTicks > 0)
                return DtmfStep.None;
            _state = State.Idle;
        }
        if (_state == State.Idle && !StartNext(mediaTimestamp))
            return DtmfStep.None;

        if (_state == State.Event)
        {
            if (!_sender!.TryGetNext(out evt, out marker))
            {
                EnterGap();
                return DtmfStep.None;
            }
            eventTimestamp = _sender.Timestamp;
            if (!_sender.IsActive)
                EnterGap();
            return DtmfStep.Event;
        }

        _tone.Write(frame);
        int played = (int)Math.Min(frame.Length, _toneSamplesLeft);
        frame[played..].Clear();
        _tonePlayed += played;
        _toneSamplesLeft -= played;
        if (_toneSamplesLeft <= 0)
        {
            _tone.Stop();
            _live = false;
            EnterGap();
        }
        return DtmfStep.Tone;
    }

    private bool StartNext(uint mediaTimestamp)
    {
        if (!_queue.TryDequeue(out var next))
            return false;
        DigitsSent++;
        if (_sender is not null)
        {
            // One segment at most (0xFFFF units); at least one packet interval (RFC 4733 §2.5.1).
            long units = Math.Clamp(next.Duration.Ticks * _clockRate / TimeSpan.TicksPerSecond, _clockRate / 50, ushort.MaxValue);
            _sender.Start(next.Digit, mediaTimestamp, TimeSpan.FromTicks(units * TimeSpan.TicksPerSecond / _clockRate));
            _state = State.Event;
            return true;
        }
        _tone.Start(next.Digit, ToneLevelDbm0);
        _tonePlayed = 0;
        _toneSamplesLeft = Samples(next.Duration);
        _state = State.Tone;
        return true;
    }

    private void EnterGap()
    {
        _state = State.Gap;
        _gapTicks = GapTicks;
    }

    private long Samples(TimeSpan duration) => duration.Ticks * _tone.SampleRate / TimeSpan.TicksPerSecond;
}
