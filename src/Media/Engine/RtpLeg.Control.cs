using System.Net;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Playback;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;

namespace Hotline.Media.Engine;

// The control side of a leg: what call control asks for, applied on the worker between packets.
internal sealed partial class RtpLeg
{
    private int _ptime = 20;
    private ToneSpec? _toneSpec;
    private bool _musicPlaying;
    private AddressFamily _family = AddressFamily.InterNetwork;

    /// <summary>The leg's sockets (null when a test drives the leg without any).</summary>
    internal RtpSocketPair? Sockets { get; set; }

    internal EngineContext Context => _context;

    /// <summary>Closed: no worker owns it any more.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>The peer put us on hold (its SDP says sendonly or inactive, or c=0.0.0.0).</summary>
    public bool RemoteHold { get; private set; }

    public MediaNegotiation? Negotiation { get; private set; }

    /// <summary>Address family of the leg's sockets: signalled addresses are converted to it.</summary>
    internal void UseAddressFamily(AddressFamily family) => _family = family;

    /// <summary>
    /// Applies an offer/answer outcome (RFC 3264): codec and payload types, telephone-event or in-band
    /// DTMF, direction (we stop sending to a peer that holds us) and the peer's addresses. A changed codec
    /// rebuilds the encoder, the receive pipeline and the statistics; a changed address re-arms the latch.
    /// </summary>
    public void Apply(MediaNegotiation negotiation, TimeSpan now)
    {
        bool codecChanged = _codec is null || !SameCodec(_codec, negotiation.Codec) || _ptime != negotiation.Ptime;
        bool eventsChanged = (negotiation.TelephoneEventPayloadType ?? -1) != _eventPayloadType;
        int oldRate = SampleRate;
        Negotiation = negotiation;
        _codec = negotiation.Codec;
        _ptime = negotiation.Ptime;
        _payloadType = (byte)negotiation.PayloadType;
        _eventPayloadType = negotiation.TelephoneEventPayloadType ?? -1;
        bool wasSending = _sends;
        _sends = negotiation.Direction.Sends();
        _receives = negotiation.Direction.Receives();
        RemoteHold = negotiation.RemoteHold;
        // The pause a hold makes is ours, not loss: relayed packets keep the other leg's sequence spacing,
        // so without a fresh start the first one after the hold would leave a gap of everything the other
        // party sent meanwhile, which the peer counts as lost (RFC 3550 §6.4.1).
        if (wasSending && !_sends)
            _out.Interrupt();

        if (codecChanged)
        {
            _encoder = AudioCodecFactory.CreateEncoder(negotiation.Codec);
            _frameSamples = negotiation.Codec.SamplesPerFrame(20);
            _frameTimestamps = negotiation.Codec.TimestampsPerFrame(20);
            _out.SetClockRate(negotiation.Codec.ClockRate, now);
            _received = new RtpStreamStatistics(negotiation.Codec.ClockRate);
            _rtcp = new RtcpSession(_out.Ssrc, CName, negotiation.Codec.ClockRate, _context.Options.RtcpMinInterval, Random);
        }
        if (codecChanged || eventsChanged)
        {
            // Built when something first needs the PCM (UpdatePipelineDemand): a relayed leg whose peer
            // sends telephone-events never decodes, and needs no jitter buffer.
            _pipeline = null;
            _pipelineActive = false;
            _haveTickFrame = false;
            _dtmfIn = _eventPayloadType >= 0 ? new Rfc4733Receiver(_eventPayloadType) : null;
            _dtmfOut.Configure(negotiation.TelephoneEventPayloadType, negotiation.Codec.ClockRate, negotiation.Codec.SampleRate);
            UpdatePipelineDemand(restart: true);
        }
        if (SampleRate != oldRate)
            RestartPlaybackAt(SampleRate);

        if (!Equals(negotiation.RemoteRtp, _rtpLatch.SignalledEndPoint))
        {
            _rtpLatch.Reset(negotiation.RemoteRtp);
            _rtpDestination = ToAddress(negotiation.RemoteRtp);
        }
        if (!Equals(negotiation.RemoteRtcp, _rtcpLatch.SignalledEndPoint))
        {
            _rtcpLatch.Reset(negotiation.RemoteRtcp);
            _rtcpDestination = ToAddress(negotiation.RemoteRtcp);
        }
        Attachment?.OnLegChanged(this, now);
    }

    /// <summary>A bridge or conference starts (or stops) needing this leg's PCM every tick.</summary>
    /// <summary>Starts writing the received audio to <paramref name="recording"/> each tick (replacing any earlier one).</summary>
    public void StartPeerRecording(PeerRecording recording)
    {
        if (_peerRecording is null) AddPcmConsumer();
        _peerRecording = recording;
    }

    public void StopPeerRecording(PeerRecording recording)
    {
        if (_peerRecording != recording) return;
        _peerRecording = null;
        RemovePcmConsumer();
    }

    public void AddPcmConsumer()
    {
        _pcmConsumers++;
        UpdatePipelineDemand(restart: false);
    }

    public void RemovePcmConsumer()
    {
        _pcmConsumers = Math.Max(0, _pcmConsumers - 1);
        UpdatePipelineDemand(restart: false);
    }

    public void PlayTone(ToneSpec tone)
    {
        _toneSpec = tone;
        _musicPlaying = false;
        _playback.PlayTone(new ToneGenerator(tone, SampleRate));
    }

    /// <summary>Plays a prompt loaded at the leg's rate; false when the rate changed since it was loaded.</summary>
    public bool PlayPrompt(Prompt prompt)
    {
        _toneSpec = null;
        _musicPlaying = false;
        return _playback.PlayPrompt(prompt, SampleRate);
    }

    public void PlayMusic(MusicOnHoldStream stream)
    {
        _toneSpec = null;
        _musicPlaying = true;
        _playback.PlayMusic(stream);
    }

    public void StopPlayback()
    {
        _toneSpec = null;
        _musicPlaying = false;
        _playback.Stop();
    }

    public bool IsPlaying => _playback.IsActive;

    /// <summary>Queues a digit to the peer, as RFC 4733 events or in-band tones (its negotiation decides).</summary>
    public void SendDtmf(char digit, TimeSpan duration) => _dtmfOut.Enqueue(digit, duration);

    /// <summary>
    /// Closes the leg's media: a last RTCP report with BYE (RFC 3550 §6.6) and out of its bridge or room.
    /// </summary>
    public void Close(TimeSpan now)
    {
        if (_rtcp is not null && _rtcpDestination is not null)
            SendReport(now, bye: true);
        Attachment?.OnLegClosed(this);
        Attachment = null;
        _playback.Stop();
        IsClosed = true;
    }

    private void UpdatePipelineDemand(bool restart)
    {
        bool detectInband = _digitReceived is not null && _eventPayloadType < 0 && ReceivePipeline.CanDetectInband(SampleRate);
        bool active = _codec is not null && (_pcmConsumers > 0 || detectInband);
        if (active && _pipeline is null)
        {
            var (min, max) = _context.JitterDepth(_ptime);
            _pipeline = new ReceivePipeline(_codec!, _ptime, min, max);
        }
        else if (active && (!_pipelineActive || restart))
        {
            _pipeline!.Restart();
        }
        if (_pipeline is not null)
            _pipeline.DetectsInband = detectInband;
        _pipelineActive = active;
        if (!active)
            _haveTickFrame = false;
    }

    // A new PCM rate: the tone or the music carries on at it; a prompt loaded at the old rate ends.
    private void RestartPlaybackAt(int sampleRate)
    {
        if (!_playback.IsActive)
            return;
        if (_toneSpec is not null)
            _playback.PlayTone(new ToneGenerator(_toneSpec, sampleRate));
        else if (_musicPlaying)
            _playback.PlayMusic(_context.Music.GetStream(sampleRate));
        else
            _playback.Stop();
    }

    private SocketAddress? ToAddress(IPEndPoint? endPoint)
    {
        if (endPoint is null)
            return null;
        if (_family == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork)
            endPoint = new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port);
        else if (_family == AddressFamily.InterNetwork && endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            return null;
        return endPoint.Serialize();
    }

    /// <summary>Same payload format: relaying between two legs of these codecs needs no transcoding.</summary>
    internal static bool SameCodec(AudioCodecInfo a, AudioCodecInfo b) =>
        a.Name.Equals(b.Name, StringComparison.OrdinalIgnoreCase) && a.ClockRate == b.ClockRate
        && a.SampleRate == b.SampleRate && a.Channels == b.Channels;
}
