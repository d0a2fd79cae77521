using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// The media of one call leg: one RTP stream each way with its RTCP, owned by one media worker thread
/// (every method runs there, so nothing is locked). Packets arrive through <see cref="OnRtp"/> and
/// <see cref="OnRtcp"/> as the worker reads them; the worker's 20 ms tick calls <see cref="BeginTick"/>
/// (pull the received frame, when something needs PCM) and <see cref="EndTick"/> (send what the engine
/// generates, RTCP). Bad packets are counted and dropped, never thrown; the per-packet path allocates
/// nothing. The control side (negotiation, playback, DTMF) is in RtpLeg.Control.cs.
/// </summary>
internal sealed partial class RtpLeg
{
    private readonly EngineContext _context;
    private readonly IRtpSink _sink;
    private readonly OutboundRtpStream _out;
    private readonly SymmetricRtpLatch _rtpLatch;
    private readonly SymmetricRtpLatch _rtcpLatch;
    private readonly LegPlayback _playback = new();
    private readonly DtmfTransmitter _dtmfOut = new();
    // Encoder output and generated PCM live only within one call on the worker thread, so one buffer per
    // thread serves all its legs (per leg they were 3.2 KB of every leg's memory).
    [ThreadStatic]
    private static byte[]? t_encoded;
    [ThreadStatic]
    private static short[]? t_generated;

    private readonly DtmfDigitEvent[] _digitEvents = new DtmfDigitEvent[Rfc4733Receiver.MaxEventsPerPacket];
    private readonly char[] _inbandDigits = new char[2];
    private Action<RtpLeg, char>? _digitReceived;
    private PacketCounters _workerCounters;

    // Negotiated state (set by Apply).
    private AudioCodecInfo? _codec;
    private byte _payloadType;
    private int _eventPayloadType = -1;
    private bool _sends;
    private bool _receives;
    private IAudioEncoder? _encoder;
    private int _frameSamples;
    private int _frameTimestamps;
    private RtpStreamStatistics? _received;
    private Rfc4733Receiver? _dtmfIn;
    private ReceivePipeline? _pipeline;
    private RtcpSession? _rtcp;
    private SocketAddress? _rtpDestination;
    private SocketAddress? _rtcpDestination;

    private int _pcmConsumers;
    private PeerRecording? _peerRecording;
    private bool _pipelineActive;
    private bool _haveTickFrame;
    private long _heard;

    public RtpLeg(EngineContext context, string label, IRtpSink sink, PacketCounters workerCounters, Random random)
    {
        _context = context;
        Label = label;
        Id = context.NextLegId();
        _sink = sink;
        _workerCounters = workerCounters;
        Random = random;
        CName = $"hotline-{random.NextInt64():x16}";
        _out = new OutboundRtpStream(sink, RtpSsrc.NewRandom(), (ushort)random.Next(), (uint)random.NextInt64());
        _rtpLatch = new SymmetricRtpLatch(null, context.Options.RelatchAfterSilence);
        _rtcpLatch = new SymmetricRtpLatch(null, context.Options.RelatchAfterSilence);
    }

    public int Id { get; }
    public string Label { get; }
    public string CName { get; }
    internal Random Random { get; }

    /// <summary>This leg's own counters.</summary>
    public PacketCounters Counters { get; } = new();

    /// <summary>
    /// Packets that show the peer is there: RTP of a negotiated payload type and RTCP, from the accepted
    /// source. Written by the worker, read by call control's inactivity timeout from any thread.
    /// </summary>
    public long Heard => Volatile.Read(ref _heard);

    // Only the worker writes it, so a plain increment published with a release store is enough (no interlock).
    private void HeardOne() => Volatile.Write(ref _heard, _heard + 1);

    /// <summary>The bridge or conference the leg is in.</summary>
    public LegAttachment? Attachment { get; set; }

    /// <summary>The worker that owns the leg now (changes when a bridge gathers its legs on one worker).</summary>
    public MediaWorker? Worker { get; private set; }

    public AudioCodecInfo? Codec => _codec;
    public OutboundRtpStream Out => _out;
    public RtpStreamStatistics? Received => _received;
    public ReceivePipeline? Pipeline => _pipeline;
    public RtcpSession? Rtcp => _rtcp;
    public SymmetricRtpLatch Latch => _rtpLatch;
    public DtmfTransmitter DtmfOut => _dtmfOut;

    /// <summary>PCM rate of the negotiated codec (what the pipeline gives and the encoder takes).</summary>
    public int SampleRate => _codec?.SampleRate ?? 8000;

    /// <summary>The peer negotiated telephone-event.</summary>
    public bool HasTelephoneEvents => _eventPayloadType >= 0;

    public bool IsNegotiated => _codec is not null;

    /// <summary>We may send and know where to (the peer is not holding us, and gave or showed an address).</summary>
    public bool CanSend => _codec is not null && _sends && _rtpDestination is not null;

    /// <summary>The engine plays something of its own into the leg, so bridged audio must wait.</summary>
    public bool Overridden => _playback.IsActive || _dtmfOut.OverridesAudio;

    /// <summary>This tick's received frame at <see cref="SampleRate"/>; empty while nothing plays out.</summary>
    public ReadOnlySpan<short> TickFrame => _haveTickFrame ? _pipeline!.LastFrame : default;

    /// <summary>
    /// Raised on the worker when a digit arrives (RFC 4733 key down, or detected in-band). In-band detection
    /// (a filter bank over every frame of a peer without telephone-event) runs only while a handler is
    /// attached, as a PBX's DSP does only on channels that listen for digits. Worker thread, like all leg state.
    /// </summary>
    public event Action<RtpLeg, char>? DigitReceived
    {
        add
        {
            _digitReceived += value;
            UpdatePipelineDemand(restart: false);
        }
        remove
        {
            _digitReceived -= value;
            UpdatePipelineDemand(restart: false);
        }
    }

    /// <summary>Raised on the worker when a prompt or a finite tone has played out.</summary>
    public event Action<RtpLeg>? PlaybackCompleted;

    internal void SetWorker(MediaWorker? worker, PacketCounters counters)
    {
        Worker = worker;
        _workerCounters = counters;
    }

    /// <summary>One datagram from the RTP socket.</summary>
    public void OnRtp(ReadOnlySpan<byte> packet, SocketAddress source, TimeSpan now)
    {
        // RFC 5761 §4: a second octet of 192-223 is RTCP sent to the RTP port (rtcp-mux peers).
        if (packet.Length > 1 && packet[1] is >= 192 and <= 223)
        {
            OnRtcp(packet, source, now);
            return;
        }
        Counters.RtpReceived++;
        _workerCounters.RtpReceived++;
        if (!RtpHeader.TryRead(packet, out var header))
        {
            Count(ref Counters.Malformed, ref _workerCounters.Malformed);
            return;
        }
        if (_codec is null)
        {
            Count(ref Counters.Ignored, ref _workerCounters.Ignored);
            return;
        }
        switch (_rtpLatch.Observe(source, now))
        {
            case RtpLatchDecision.Rejected:
                Count(ref Counters.RejectedSource, ref _workerCounters.RejectedSource);
                return;
            case RtpLatchDecision.Latched:
            case RtpLatchDecision.Relatched:
                _rtpDestination = Copy(source);
                break;
        }

        var payload = header.GetPayload(packet);
        if (header.PayloadType == _payloadType)
        {
            HeardOne();
            _received!.OnPacket(header, now);
            if (!_receives)
            {
                Count(ref Counters.Ignored, ref _workerCounters.Ignored);
                return;
            }
            if (_pipelineActive)
                _pipeline!.Push(header, payload, now);
            Attachment?.OnAudio(this, header, payload, now);
        }
        else if (header.PayloadType == _eventPayloadType)
        {
            HeardOne();
            _received!.OnPacket(header, now);
            if (!_receives)
                return;
            int events = _dtmfIn!.Process(header, payload, now, _digitEvents);
            Attachment?.OnEventPacket(this, header, payload, now);
            RaiseDigitEvents(events, now);
        }
        else
        {
            Count(ref Counters.UnknownPayloadType, ref _workerCounters.UnknownPayloadType);
        }
    }

    /// <summary>One datagram from the RTCP socket (or RTCP multiplexed on the RTP one).</summary>
    public void OnRtcp(ReadOnlySpan<byte> packet, SocketAddress source, TimeSpan now)
    {
        Counters.RtcpReceived++;
        _workerCounters.RtcpReceived++;
        if (_rtcp is null)
            return;
        var decision = _rtcpLatch.Observe(source, now);
        if (decision == RtpLatchDecision.Rejected)
            return;
        HeardOne();
        if (decision != RtpLatchDecision.Accepted)
            _rtcpDestination = Copy(source);
        _rtcp.OnPacket(packet, _received, _context.WallClock, now);
    }

    /// <summary>Start of a tick: the received frame for whatever needs PCM, in-band digits, RFC 4733 timeouts.</summary>
    public void BeginTick(TimeSpan now, long tick)
    {
        _haveTickFrame = false;
        if (_pipelineActive)
        {
            var frame = _pipeline!.Pull(now, _inbandDigits, out int digits);
            _haveTickFrame = !frame.IsEmpty;
            for (int i = 0; i < digits; i++)
                _digitReceived?.Invoke(this, _inbandDigits[i]);
        }
        _peerRecording?.OnFrame(TickFrame, SampleRate / 50);
        if (_dtmfIn is not null)
            RaiseDigitEvents(_dtmfIn.Poll(now, _digitEvents), now);
    }

    /// <summary>End of a tick: our own DTMF or playback, else nothing (bridged audio went out already), then RTCP.</summary>
    public void EndTick(TimeSpan now, long tick)
    {
        if (_codec is null)
            return;
        var frame = (t_generated ??= new short[960]).AsSpan(0, _frameSamples);
        bool dtmfSent = false;
        if (_dtmfOut.IsActive)
        {
            var step = _dtmfOut.Step(_out.ContinueTimestamp(now), frame, out var evt, out bool marker, out uint eventTimestamp);
            if (step == DtmfStep.Event && CanSend)
                Sent(_out.SendEvent((byte)_eventPayloadType, evt, marker, eventTimestamp, _rtpDestination!, now));
            else if (step == DtmfStep.Tone)
                SendGenerated(frame, tick, now);
            dtmfSent = step != DtmfStep.None;
        }
        if (!dtmfSent && _playback.IsActive && _playback.SampleRate == SampleRate)
        {
            _playback.Read(frame, tick);
            SendGenerated(frame, tick, now);
        }
        if (_playback.TakeCompleted())
            PlaybackCompleted?.Invoke(this);

        if (_rtcp is not null)
        {
            _rtcp.Start(now, _out.Sent.HasSent);
            if (_rtcp.IsDue(now))
                SendReport(now, bye: false);
        }
    }

    /// <summary>A frame of audio (at <see cref="SampleRate"/>) from a bridge or conference, unless overridden.</summary>
    public void SendAudioFrame(ReadOnlySpan<short> pcm, long tick, TimeSpan now)
    {
        if (Overridden || pcm.Length != _frameSamples)
            return;
        SendGenerated(pcm, tick, now);
    }

    /// <summary>The encoder of <see cref="SendAudioFrame"/> (null until negotiated).</summary>
    internal IAudioEncoder? Encoder => _encoder;

    /// <summary>PCM samples per frame <see cref="SendAudioFrame"/> takes.</summary>
    internal int FrameSamples => _frameSamples;

    /// <summary>
    /// A frame already encoded with this leg's codec (a conference's payload shared by several legs), unless
    /// overridden; false when it was not sent. Sequence number, timestamp and SSRC are this leg's own.
    /// </summary>
    public bool SendEncodedFrame(ReadOnlySpan<byte> payload, long tick, TimeSpan now)
    {
        if (Overridden || !CanSend || payload.IsEmpty)
            return false;
        SendPayload(payload, tick, now);
        return true;
    }

    /// <summary>Forwards a packet of <paramref name="source"/> unchanged but for the header (same codec on both legs).</summary>
    public bool Relay(RtpLeg source, in RtpHeader header, ReadOnlySpan<byte> payload, bool isEvent, TimeSpan now)
    {
        if (Overridden || !CanSend || (isEvent && _eventPayloadType < 0))
            return false;
        byte payloadType = isEvent ? (byte)_eventPayloadType : _payloadType;
        bool sent = _out.Relay(source.Id, header, payload, payloadType, isEvent, _rtpDestination!, now);
        Sent(sent);
        if (sent)
        {
            Counters.Relayed++;
            _workerCounters.Relayed++;
        }
        return sent;
    }

    private void SendGenerated(ReadOnlySpan<short> pcm, long tick, TimeSpan now)
    {
        if (!CanSend)
            return;
        var encoded = t_encoded ??= new byte[OpusAudioEncoder.MaxPacketBytes + 1];
        int length = _encoder!.Encode(pcm, encoded);
        if (length > 0)
            SendPayload(encoded.AsSpan(0, length), tick, now);
    }

    private void SendPayload(ReadOnlySpan<byte> payload, long tick, TimeSpan now) =>
        Sent(_out.SendFrame(_payloadType, payload, _frameTimestamps, tick, _rtpDestination!, now));

    private void SendReport(TimeSpan now, bool bye)
    {
        var report = _rtcp!.BuildReport(_out.Sent, _received, _context.WallClock, now, bye);
        var destination = _rtcpDestination;
        if (destination is null)
            return;
        if (_sink.SendRtcp(report, destination))
        {
            Counters.RtcpSent++;
            _workerCounters.RtcpSent++;
        }
        else
        {
            Count(ref Counters.SendErrors, ref _workerCounters.SendErrors);
        }
    }

    private void RaiseDigitEvents(int count, TimeSpan now)
    {
        for (int i = 0; i < count; i++)
        {
            var digit = _digitEvents[i];
            if (digit.Kind == DtmfDigitEventKind.Started)
                _digitReceived?.Invoke(this, digit.Digit);
            Attachment?.OnDigitEvent(this, digit, now);
        }
    }

    private void Sent(bool ok)
    {
        if (ok)
        {
            Counters.RtpSent++;
            _workerCounters.RtpSent++;
        }
        else
        {
            Count(ref Counters.SendErrors, ref _workerCounters.SendErrors);
        }
    }

    private static void Count(ref long leg, ref long worker)
    {
        leg++;
        worker++;
    }

    private static SocketAddress Copy(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }
}
