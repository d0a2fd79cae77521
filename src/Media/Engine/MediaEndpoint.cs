using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Playback;
using Hotline.Media.Sdp;

namespace Hotline.Media.Engine;

/// <summary>An SDP answer (text), or why none could be made (for a 488 Not Acceptable Here).</summary>
public readonly record struct SdpAnswer(string? Sdp, string? Error)
{
    public bool Ok => Sdp is not null;
}

/// <summary>
/// The RTP endpoint of one call leg: a port pair, SDP offer/answer (RFC 3264), and what the engine plays or
/// sends into the leg. Thread-safe: SDP is worked out on the calling thread, and everything that touches
/// the media is posted to the worker that owns the leg and happens there, in call order.
/// </summary>
public sealed class MediaEndpoint : IAsyncDisposable
{
    private static readonly TimeSpan s_defaultDigitDuration = TimeSpan.FromMilliseconds(100);

    private readonly MediaEngine _engine;
    private readonly RtpSocketPair _sockets;
    private readonly Lock _gate = new();
    private readonly ulong _sessionId;
    private long _sessionVersion;
    private SessionDescription? _pendingOffer;
    private readonly OnDemandEvent<Action<MediaEndpoint, char>> _dtmf;
    private MediaNegotiation? _negotiation;
    private Task? _closed;

    internal MediaEndpoint(MediaEngine engine, RtpLeg leg, RtpSocketPair sockets)
    {
        _engine = engine;
        Leg = leg;
        _sockets = sockets;
        _sessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
        _sessionVersion = Random.Shared.Next(1, 1 << 20);
        leg.PlaybackCompleted += _ => PlaybackCompleted?.Invoke(this);
        _dtmf = new(() => MediaEngine.RunOnOwner(Leg, _ => Leg.DigitReceived += OnLegDigit),
            () => MediaEngine.RunOnOwner(Leg, _ => Leg.DigitReceived -= OnLegDigit));
    }

    internal RtpLeg Leg { get; }

    public string Label => Leg.Label;
    public int RtpPort => _sockets.RtpPort;
    public int RtcpPort => _sockets.RtcpPort;

    /// <summary>The outcome of the last offer/answer, or null before one completed.</summary>
    public MediaNegotiation? Negotiation => Volatile.Read(ref _negotiation);

    /// <summary>The negotiated codec, or null before negotiation.</summary>
    public AudioCodecInfo? Codec => Negotiation?.Codec;

    /// <summary>The peer put us on hold (its SDP says sendonly or inactive, or c=0.0.0.0).</summary>
    public bool RemoteHold => Negotiation?.RemoteHold ?? false;

    /// <summary>
    /// The negotiation says the peer sends to us and is not holding the call, so silence from it means it is
    /// gone (a peer on hold may send nothing at all).
    /// </summary>
    public bool PeerSends => Negotiation is { RemoteHold: false } n && (n.Direction & SdpDirection.RecvOnly) != 0;

    /// <summary>Valid RTP and RTCP packets from the peer so far; readable from any thread.</summary>
    public long PacketsHeard => Leg.Heard;

    /// <summary>
    /// A digit from the peer, by RFC 4733 (when its key goes down) or detected in-band. Raised on a media
    /// worker thread: handlers must be quick and hand work off.
    /// </summary>
    public event Action<MediaEndpoint, char>? DtmfReceived
    {
        // The leg listens (and runs in-band detection, for a peer without telephone-event) only while
        // someone here does; the change is made on the leg's worker, in order.
        add => _dtmf.Add(value);
        remove => _dtmf.Remove(value);
    }

    private void OnLegDigit(RtpLeg leg, char digit) => _dtmf.Handlers?.Invoke(this, digit);

    /// <summary>A prompt or a finite tone played to its end (not when stopped). Raised on a media worker thread.</summary>
    public event Action<MediaEndpoint>? PlaybackCompleted;

    /// <summary>Our offer; <paramref name="preferCodec"/> (an rtpmap name) goes first; with <paramref name="hold"/> it is sendonly.</summary>
    public string CreateOffer(string? preferCodec = null, bool hold = false)
    {
        var offer = _engine.Negotiator(preferCodec).CreateOffer(_engine.AdvertisedAddress, RtpPort,
            hold ? SdpDirection.SendOnly : SdpDirection.SendRecv, _sessionId, NextVersion());
        lock (_gate)
            _pendingOffer = offer;
        return offer.ToString();
    }

    /// <summary>Answers the peer's offer, codec chosen by our preference; applies it to the media at once.</summary>
    public SdpAnswer AnswerOffer(string offer, bool hold = false)
    {
        var result = _engine.Negotiator().Answer(offer, _engine.AdvertisedAddress, RtpPort,
            hold ? SdpDirection.SendOnly : SdpDirection.SendRecv, _sessionId, NextVersion());
        if (!result.IsAccepted)
            return new SdpAnswer(null, result.RejectReason);
        // The peer's offer starts a new exchange: an answer to an older offer of ours no longer applies.
        lock (_gate)
            _pendingOffer = null;
        Apply(result.Media!);
        return new SdpAnswer(result.Answer!.ToString(), null);
    }

    /// <summary>
    /// Applies the peer's answer to our last offer; null when accepted, else why not. The same answer may
    /// come twice (in a 183 and again in the 200).
    /// </summary>
    public string? ApplyAnswer(string answer)
    {
        SessionDescription? offer;
        lock (_gate)
            offer = _pendingOffer;
        if (offer is null)
            return "no offer of ours is waiting for an answer";
        if (!SessionDescription.TryParse(answer, out var sdp, out var error))
            return $"Malformed SDP: {error}";
        var outcome = _engine.Negotiator().ProcessAnswer(offer, sdp!);
        if (!outcome.IsAccepted)
            return outcome.FailureReason;
        // The offer stays current: a 200 OK may repeat the answer an early 183 carried (RFC 3261 §13.2.1).
        Apply(outcome.Media!);
        return null;
    }

    /// <summary>Plays a tone cadence (e.g. <see cref="ChinaTones.Ringback"/>) in place of the bridged audio until stopped.</summary>
    public void PlayTone(ToneSpec tone)
    {
        ArgumentNullException.ThrowIfNull(tone);
        MediaEngine.RunOnOwner(Leg, _ => Leg.PlayTone(tone));
    }

    /// <summary>
    /// Plays a WAV prompt once in place of the bridged audio. The file is loaded (and cached) here, on the
    /// calling thread: FileNotFoundException or InvalidDataException if it cannot be read.
    /// </summary>
    public void PlayPrompt(string path)
    {
        var prompt = _engine.Prompts.Get(path, Codec?.SampleRate ?? 8000);
        MediaEngine.RunOnOwner(Leg, _ =>
        {
            // The codec changed between loading and now: the prompt is at the wrong rate, so it counts as played.
            if (!Leg.PlayPrompt(prompt))
                PlaybackCompleted?.Invoke(this);
        });
    }

    /// <summary>Plays the shared music-on-hold stream in place of the bridged audio until stopped.</summary>
    public void PlayMusicOnHold()
    {
        var stream = _engine.MusicOnHold.GetStream(Codec?.SampleRate ?? 8000);
        MediaEngine.RunOnOwner(Leg, _ => Leg.PlayMusic(stream.SampleRate == Leg.SampleRate ? stream : _engine.MusicOnHold.GetStream(Leg.SampleRate)));
    }

    public void StopPlayback() => MediaEngine.RunOnOwner(Leg, _ => Leg.StopPlayback());

    /// <summary>
    /// Records what the peer says to a mono WAV at the negotiated codec's rate (8 or 16 kHz), through the
    /// engine's shared recording writer; stop it (or dispose it) to finalise the file.
    /// </summary>
    public PeerRecording RecordPeer(string path)
    {
        var rate = (Codec?.SampleRate ?? 8000) >= 16000 ? 16000 : 8000;
        var recorder = _engine.Recordings.Start(path, rate, Hotline.Media.Recording.WavChannelLayout.Mono);
        PeerRecording? recording = null;
        recording = new PeerRecording(recorder, 20, r => MediaEngine.RunOnOwner(Leg, _ => Leg.StopPeerRecording(r)));
        MediaEngine.RunOnOwner(Leg, _ => Leg.StartPeerRecording(recording));
        return recording;
    }

    /// <summary>Sends a digit the way the peer negotiated: RFC 4733 events, else in-band tones.</summary>
    public void SendDtmf(char digit, TimeSpan? duration = null)
    {
        if (!DtmfDigits.IsDigit(digit))
            throw new ArgumentException($"'{digit}' is not a DTMF key", nameof(digit));
        var length = duration ?? s_defaultDigitDuration;
        MediaEngine.RunOnOwner(Leg, _ => Leg.SendDtmf(digit, length));
    }

    public EndpointStatistics Statistics
    {
        get
        {
            var counters = Leg.Counters;
            var received = Leg.Received;
            // The latch is the worker's (it learns the source from packets); until the worker has applied the
            // latest negotiation, the signalled address, set here at once, is where media will go.
            var remote = Leg.Latch.RemoteEndPoint ?? Negotiation?.RemoteRtp;
            return new EndpointStatistics(Codec?.Name, counters.RtpReceived, counters.RtpSent,
                received is { IsValid: true } ? Math.Max(0, received.CumulativeLost) : 0,
                received?.JitterTime ?? TimeSpan.Zero, remote is null ? null : new IPEndPoint(remote.Address, remote.Port),
                counters.Malformed, counters.RejectedSource, counters.UnknownPayloadType, counters.Relayed,
                Leg.Pipeline?.ConcealedFrames ?? 0, Leg.Rtcp?.RoundTrip, counters.RtcpReceived, counters.RtcpSent);
        }
    }

    /// <summary>Closes the leg: a last RTCP report with BYE, out of its bridge or room, ports released.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
            _closed ??= Close();
        return new ValueTask(_closed);
    }

    private Task Close()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void CloseSockets()
        {
            _sockets.Dispose();
            _engine.Forget(this);
            done.TrySetResult();
        }
        if (_engine.IsDisposed && Leg.Worker is null)
        {
            CloseSockets();
            return done.Task;
        }
        MediaEngine.RunOnOwner(Leg, worker =>
        {
            Leg.Close(worker.Now);
            worker.Release(Leg, _sockets);
            Leg.SetWorker(null, worker.Counters);
            CloseSockets();
        }, CloseSockets);
        return done.Task;
    }

    private void Apply(MediaNegotiation negotiation)
    {
        Volatile.Write(ref _negotiation, negotiation);
        MediaEngine.RunOnOwner(Leg, worker => Leg.Apply(negotiation, worker.Now));
    }

    private ulong NextVersion() => (ulong)Interlocked.Increment(ref _sessionVersion);

    public override string ToString() => $"{Label} (RTP {RtpPort})";
}
