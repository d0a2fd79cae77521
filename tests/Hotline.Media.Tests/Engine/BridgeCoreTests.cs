using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Hotline.Media.Tests.Mixing;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>Two legs bridged on fake time: relay, transcoding, DTMF across, recording.</summary>
public sealed class BridgeCoreTests : IAsyncDisposable
{
    private static readonly IPEndPoint s_callerPhone = new(IPAddress.Parse("10.0.0.1"), 4000);
    private static readonly IPEndPoint s_calleePhone = new(IPAddress.Parse("10.0.0.2"), 5000);
    private readonly FakeWorker _worker = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-bridge-" + Guid.NewGuid().ToString("N"));
    private RecordingWriter? _writer;

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private (RtpLeg Caller, CapturingSink CallerSink, RtpLeg Callee, CapturingSink CalleeSink, BridgeCore Bridge) Bridge(
        MediaNegotiation caller, MediaNegotiation callee, WavRecorder? recorder = null)
    {
        var a = _worker.AddLeg("caller", out var aSink, seed: 1);
        var b = _worker.AddLeg("callee", out var bSink, seed: 2);
        a.Apply(caller, _worker.Now);
        b.Apply(callee, _worker.Now);
        var bridge = new BridgeCore(a, b, recorder);
        _worker.Add(bridge);
        bridge.Start(_worker.Now);
        return (a, aSink, b, bSink, bridge);
    }

    [Fact]
    public void Same_codec_relays_each_packet_on_arrival_with_its_payload_untouched_under_our_own_header()
    {
        var (caller, _, _, calleeSink, bridge) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Pcma(remote: s_calleePhone));
        Assert.True(bridge.Relaying);
        Assert.False(bridge.Transcoding);
        var phone = new Phone(ssrc: 0xABCDEF01, sequence: 65530, timestamp: 4_294_967_000);
        var payloads = new List<byte[]>();

        for (int i = 0; i < 20; i++)
        {
            var payload = Enumerable.Range(0, 160).Select(x => (byte)(x + i)).ToArray();
            payloads.Add(payload);
            if (i == 7)
            {
                phone.Skip(1); // a packet lost on the way: the gap must pass through
                payloads.RemoveAt(payloads.Count - 1);
                continue;
            }
            caller.OnRtp(phone.Packet(8, payload), s_callerPhone.Serialize(), _worker.Now);
            // Relayed at once, not at the next tick.
            Assert.Equal(payloads.Count, calleeSink.Rtp.Count);
            _worker.RunTick();
        }

        var sent = calleeSink.Packets();
        Assert.Equal(payloads, sent.Select(p => p.Payload));
        Assert.All(sent, p => Assert.Equal("10.0.0.2:5000", p.To.ToString()));
        Assert.All(sent, p => Assert.NotEqual(phone.Ssrc, p.Header.Ssrc));
        Assert.True(sent[0].Header.Marker);
        // Sequence and timestamp shifted, spacing kept (through the wrap, and across the lost packet).
        for (int i = 1; i < sent.Count; i++)
        {
            int gap = i == 7 ? 2 : 1;
            Assert.Equal((ushort)(sent[i - 1].Header.SequenceNumber + gap), sent[i].Header.SequenceNumber);
            Assert.Equal(sent[i - 1].Header.Timestamp + (uint)(160 * gap), sent[i].Header.Timestamp);
        }
        Assert.Equal(19, caller.Counters.RtpReceived);
    }

    [Fact]
    public void Telephone_events_are_forwarded_with_the_other_legs_payload_type()
    {
        var (caller, _, _, calleeSink, _) = Bridge(Negotiations.Pcma(101, s_callerPhone), Negotiations.Pcma(96, s_calleePhone));
        var phone = new Phone();
        caller.OnRtp(phone.Packet(8, new byte[160]), s_callerPhone.Serialize(), _worker.Now);
        uint ts = phone.NextTimestamp;
        caller.OnRtp(phone.EventPacket(101, ts, '#', false, 160, marker: true), s_callerPhone.Serialize(), _worker.Now);
        caller.OnRtp(phone.EventPacket(101, ts, '#', true, 320), s_callerPhone.Serialize(), _worker.Now);

        var sent = calleeSink.Packets();
        Assert.Equal([8, 96, 96], sent.Select(p => (int)p.Header.PayloadType));
        Assert.Equal(sent[1].Header.Timestamp, sent[2].Header.Timestamp);
        Assert.Equal(sent[0].Header.Timestamp + 160, sent[1].Header.Timestamp);
        Assert.True(Rfc4733Event.TryRead(sent[2].Payload, out var evt));
        Assert.Equal('#', evt.Digit);
        Assert.True(evt.End);
    }

    [Fact]
    public void Different_codecs_are_transcoded_each_tick_from_the_jitter_buffer()
    {
        var (caller, _, _, calleeSink, bridge) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Of(AudioCodecs.G722, 9, 101, s_calleePhone));
        Assert.True(bridge.Transcoding);
        var phone = new Phone();
        var encoder = new PcmaEncoder();
        var tone = Audio.Tone(1000, 8000, 160 * 50);
        for (int i = 0; i < 50; i++)
        {
            caller.OnRtp(phone.Packet(8, Audio.Encode(encoder, tone.AsSpan(i * 160, 160))), s_callerPhone.Serialize(), _worker.Now);
            Assert.Equal(0, caller.Counters.Relayed);
            _worker.RunTick();
        }

        var sent = calleeSink.Packets();
        Assert.InRange(sent.Count, 46, 49); // less the jitter buffer's depth (40 ms)
        Assert.All(sent, p => Assert.Equal(9, p.Header.PayloadType));
        var pcm = Audio.Decode(AudioCodecs.G722, sent.Select(p => p.Payload));
        Assert.Equal(1000, Goertzel.Strongest(pcm.AsSpan(3200, 6400), 16000, 500, 1000, 2000));
        Assert.True(Goertzel.Amplitude(pcm.AsSpan(3200, 6400), 1000, 16000) > 5000);
    }

    [Fact]
    public void A_key_pressed_on_a_leg_with_events_is_heard_as_tones_on_a_leg_without()
    {
        var (caller, _, _, calleeSink, _) = Bridge(Negotiations.Pcma(101, s_callerPhone), Negotiations.Pcma(null, s_calleePhone));
        var phone = new Phone();
        var from = s_callerPhone.Serialize();
        uint ts = phone.NextTimestamp;
        caller.OnRtp(phone.EventPacket(101, ts, '4', false, 160, marker: true), from, _worker.Now);
        for (int i = 2; i <= 6; i++)
        {
            _worker.RunTick();
            caller.OnRtp(phone.EventPacket(101, ts, '4', i == 6, (ushort)(160 * i)), from, _worker.Now);
        }
        _worker.RunTicks(10);

        var sent = calleeSink.Packets();
        Assert.All(sent, p => Assert.Equal(8, p.Header.PayloadType));
        var pcm = Audio.Decode(AudioCodecs.Pcma, sent.Select(p => p.Payload));
        var found = new char[2];
        int n = new InbandDtmfDetector(8000).Process(pcm, found);
        Assert.Equal("4", new string(found, 0, n));
    }

    [Fact]
    public void Playing_into_a_leg_replaces_the_relayed_audio_until_stopped()
    {
        var (caller, _, callee, calleeSink, _) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Pcma(remote: s_calleePhone));
        var phone = new Phone();
        var silence = Enumerable.Repeat((byte)0xD5, 160).ToArray();
        callee.PlayTone(ChinaTones.Busy);
        for (int i = 0; i < 10; i++)
        {
            caller.OnRtp(phone.Packet(8, silence), s_callerPhone.Serialize(), _worker.Now);
            _worker.RunTick();
        }
        Assert.Equal(0, callee.Counters.Relayed);
        Assert.Equal(10, calleeSink.Rtp.Count); // the tone, one per tick
        callee.StopPlayback();
        caller.OnRtp(phone.Packet(8, silence), s_callerPhone.Serialize(), _worker.Now);
        Assert.Equal(1, callee.Counters.Relayed);
        var last = calleeSink.Packets()[^1];
        Assert.True(last.Header.Marker);
        Assert.Equal(silence, last.Payload);
    }

    [Fact]
    public async Task Recording_is_stereo_caller_left_callee_right_one_frame_per_tick_with_silence_for_the_quiet_side()
    {
        _writer = new RecordingWriter();
        string path = Path.Combine(_folder, "2026", "03", "01", "call.wav");
        var recorder = _writer.Start(path, 8000, WavChannelLayout.Stereo);
        var (caller, _, callee, _, _) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Pcmu(remote: s_calleePhone), recorder);
        var callerPhone = new Phone(ssrc: 1);
        var calleePhone = new Phone(ssrc: 2);
        var pcma = new PcmaEncoder();
        var pcmu = new PcmuEncoder();
        var low = Audio.Tone(400, 8000, 160 * 100);
        var high = Audio.Tone(1200, 8000, 160 * 100);
        for (int i = 0; i < 100; i++)
        {
            caller.OnRtp(callerPhone.Packet(8, Audio.Encode(pcma, low.AsSpan(i * 160, 160))), s_callerPhone.Serialize(), _worker.Now);
            // The callee talks only in the second half.
            if (i >= 50)
                callee.OnRtp(calleePhone.Packet(0, Audio.Encode(pcmu, high.AsSpan(i * 160, 160))), s_calleePhone.Serialize(), _worker.Now);
            _worker.RunTick();
        }
        await recorder.StopAsync();

        var (format, channels) = WavReading.Read(path);
        Assert.Equal(8000, format.SampleRate);
        Assert.Equal(2, format.Channels);
        Assert.Equal(100 * 160, channels[0].Length);
        var left = channels[0];
        var right = channels[1];
        Assert.True(Goertzel.Amplitude(left.AsSpan(4000, 8000), 400, 8000) > 5000);
        Assert.True(Goertzel.Amplitude(left.AsSpan(4000, 8000), 1200, 8000) < 100);
        Assert.True(Audio.Rms(right.AsSpan(0, 7000)) < 10);
        Assert.True(Goertzel.Amplitude(right.AsSpan(9600, 4800), 1200, 8000) > 5000);
        Assert.True(Goertzel.Amplitude(right.AsSpan(9600, 4800), 400, 8000) < 100);
    }

    [Fact]
    public void A_wideband_recording_takes_narrowband_legs_up_to_16_kHz()
    {
        _writer = new RecordingWriter();
        var recorder = _writer.Start(Path.Combine(_folder, "wb.wav"), 16000, WavChannelLayout.Stereo);
        var (caller, _, _, _, bridge) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Of(AudioCodecs.G722, 9, 101, s_calleePhone), recorder);
        var phone = new Phone();
        var pcma = new PcmaEncoder();
        var tone = Audio.Tone(1000, 8000, 160 * 20);
        for (int i = 0; i < 20; i++)
        {
            caller.OnRtp(phone.Packet(8, Audio.Encode(pcma, tone.AsSpan(i * 160, 160))), s_callerPhone.Serialize(), _worker.Now);
            _worker.RunTick();
        }
        Assert.Equal(20, bridge.RecordedFrames);
        Assert.Equal(20, recorder.FramesQueued);
    }

    [Fact]
    public void Stopping_the_bridge_stops_the_relay_and_frees_the_pipelines()
    {
        var (caller, _, callee, calleeSink, bridge) = Bridge(Negotiations.Pcma(remote: s_callerPhone), Negotiations.Pcmu(remote: s_calleePhone));
        bridge.Stop();
        Assert.Null(caller.Attachment);
        Assert.Null(callee.Attachment);
        var phone = new Phone();
        for (int i = 0; i < 10; i++)
        {
            caller.OnRtp(phone.Packet(8, new byte[160]), s_callerPhone.Serialize(), _worker.Now);
            _worker.RunTick();
        }
        Assert.Empty(calleeSink.Rtp);
        Assert.Equal(0, caller.Pipeline!.Frames); // nobody needs its PCM any more (it has telephone-event, so no in-band detection)
    }
}
