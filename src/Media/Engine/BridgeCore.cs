using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// Two legs connected, on their common worker. With the same codec on both legs every packet is relayed
/// the moment it arrives (only the header is rewritten: our SSRC, shifted sequence and timestamp), and
/// telephone-events are forwarded with the other leg's payload type. With different codecs each tick
/// takes the frame each leg's jitter buffer gives, resamples it and encodes it for the other leg.
/// DTMF reaches a leg the way it negotiated: forwarded events, regenerated events, or in-band tones.
/// Recording takes both legs' frames every tick, so the two channels stay aligned sample for sample; a
/// side with nothing this tick (lost, or silence suppressed) is concealed by its decoder or written as
/// silence. Nothing here allocates per packet or frame.
/// </summary>
internal sealed class BridgeCore : LegAttachment
{
    private readonly CallRecording? _recording;
    // Resampled PCM is encoded for the other leg at once: one buffer per worker thread serves every bridge.
    [ThreadStatic]
    private static short[]? t_converted;
    private Resampler? _callerToCallee;
    private Resampler? _calleeToCaller;
    private bool _relay;
    private bool _consumingPcm;
    private volatile bool _transcoding;
    private bool _stopped;

    public BridgeCore(RtpLeg caller, RtpLeg callee, WavRecorder? recorder)
    {
        Caller = caller;
        Callee = callee;
        _recording = recorder is null ? null : new CallRecording(recorder, caller, callee);
    }

    public RtpLeg Caller { get; }
    public RtpLeg Callee { get; }

    /// <summary>Both legs are negotiated with different codecs.</summary>
    public bool Transcoding => _transcoding;

    public bool Relaying => _relay;

    /// <summary>Ticks written to the recording.</summary>
    public long RecordedFrames => _recording?.Frames ?? 0;

    /// <summary>Worker thread: takes both legs over from whatever they were in, and plans the media path.</summary>
    public void Start(TimeSpan now)
    {
        if (_stopped)
            return; // moved into a room before it started
        foreach (var leg in (ReadOnlySpan<RtpLeg>)[Caller, Callee])
        {
            if (leg.Attachment is { } previous && previous != this)
                previous.OnLegClosed(leg);
            leg.Attachment = this;
        }
        Plan();
    }

    /// <summary>Worker thread: disconnects the legs; they keep running on their own.</summary>
    public void Stop()
    {
        if (_stopped)
            return;
        _stopped = true;
        SetPcmConsumption(false);
        if (Caller.Attachment == this)
            Caller.Attachment = null;
        if (Callee.Attachment == this)
            Callee.Attachment = null;
        _relay = false;
        _transcoding = false;
    }

    internal override void OnAudio(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        if (_relay)
            Other(from).Relay(from, header, payload, isEvent: false, now);
    }

    internal override void OnEventPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now)
    {
        var to = Other(from);
        if (_relay && to.HasTelephoneEvents)
            to.Relay(from, header, payload, isEvent: true, now);
    }

    internal override void OnDigitEvent(RtpLeg from, in DtmfDigitEvent digit, TimeSpan now)
    {
        var to = Other(from);
        if (_stopped || !to.IsNegotiated || (_relay && to.HasTelephoneEvents))
            return; // forwarded packet by packet above
        if (!to.HasTelephoneEvents)
        {
            // In-band: the tone follows the key, down to up.
            if (digit.Kind == DtmfDigitEventKind.Started)
                to.DtmfOut.StartLive(digit.Digit);
            else
                to.DtmfOut.StopLive();
        }
        else if (digit.Kind == DtmfDigitEventKind.Ended)
        {
            // Transcoding: the other clock may differ, so the event is sent anew, once its length is known.
            int clockRate = from.Codec?.ClockRate ?? 8000;
            to.SendDtmf(digit.Digit, TimeSpan.FromTicks(digit.Duration * TimeSpan.TicksPerSecond / clockRate));
        }
    }

    /// <summary>
    /// Worker thread (the legs'): the call moves into a room. The bridge stops for good and hands over its
    /// recording, which the room goes on writing; null when the call is not recorded.
    /// </summary>
    public CallRecording? Surrender()
    {
        Stop();
        _recording?.HandOver();
        return _recording;
    }

    internal override void Tick(TimeSpan now, long tick)
    {
        if (_stopped)
            return;
        var caller = Caller.TickFrame;
        var callee = Callee.TickFrame;
        _recording?.Write(caller, callee, tick);
        if (!_transcoding)
            return;
        if (!caller.IsEmpty)
            Callee.SendAudioFrame(Convert(caller, _callerToCallee!), tick, now);
        if (!callee.IsEmpty)
            Caller.SendAudioFrame(Convert(callee, _calleeToCaller!), tick, now);
    }

    internal override void OnLegChanged(RtpLeg leg, TimeSpan now) => Plan();

    internal override void OnLegClosed(RtpLeg leg) => Stop();

    private void Plan()
    {
        if (_stopped)
            return;
        bool negotiated = Caller.IsNegotiated && Callee.IsNegotiated;
        _relay = negotiated && RtpLeg.SameCodec(Caller.Codec!, Callee.Codec!);
        _transcoding = negotiated && !_relay;
        SetPcmConsumption(_recording is not null || _transcoding);
        if (_transcoding)
        {
            _callerToCallee = Ensure(_callerToCallee, Caller.SampleRate, Callee.SampleRate);
            _calleeToCaller = Ensure(_calleeToCaller, Callee.SampleRate, Caller.SampleRate);
        }
        _recording?.Plan();
    }

    private ReadOnlySpan<short> Convert(ReadOnlySpan<short> frame, Resampler resampler)
    {
        if (resampler.InputRate == resampler.OutputRate)
            return frame;
        var converted = t_converted ??= new short[960];
        int n = resampler.Process(frame, converted);
        return converted.AsSpan(0, n);
    }

    private void SetPcmConsumption(bool consume)
    {
        if (consume == _consumingPcm)
            return;
        _consumingPcm = consume;
        if (consume)
        {
            Caller.AddPcmConsumer();
            Callee.AddPcmConsumer();
        }
        else
        {
            Caller.RemovePcmConsumer();
            Callee.RemovePcmConsumer();
        }
    }

    private RtpLeg Other(RtpLeg leg) => leg == Caller ? Callee : Caller;

    private static Resampler Ensure(Resampler? current, int from, int to) =>
        current is not null && current.InputRate == from && current.OutputRate == to ? current : new Resampler(from, to);
}
