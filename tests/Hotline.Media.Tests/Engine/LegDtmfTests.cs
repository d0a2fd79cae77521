using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Engine;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Engine;

/// <summary>Digits from and to a leg: RFC 4733 with the negotiated payload type, else in-band.</summary>
public sealed class LegDtmfTests
{
    [Fact]
    public void An_RFC_4733_key_press_is_reported_once_whatever_the_repeats()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(eventPayloadType: 101), worker.Now);
        var digits = new List<char>();
        leg.DigitReceived += (_, d) => digits.Add(d);
        var phone = new Phone();
        var from = Phone.At(4000, "10.0.0.1");

        uint ts = phone.NextTimestamp;
        leg.OnRtp(phone.EventPacket(101, ts, '5', end: false, 160, marker: true), from, worker.Now);
        leg.OnRtp(phone.EventPacket(101, ts, '5', end: false, 320), from, worker.Now);
        leg.OnRtp(phone.EventPacket(101, ts, '5', end: false, 480), from, worker.Now);
        for (int i = 0; i < 3; i++)
            leg.OnRtp(phone.EventPacket(101, ts, '5', end: true, 640), from, worker.Now);
        worker.RunTicks(100);

        Assert.Equal(['5'], digits);
    }

    [Fact]
    public void Inband_digits_are_detected_when_the_peer_has_no_telephone_event()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(eventPayloadType: null), worker.Now);
        var digits = new List<char>();
        leg.DigitReceived += (_, d) => digits.Add(d);
        var phone = new Phone();
        var encoder = new PcmaEncoder();
        var tone = new DtmfToneGenerator(8000);
        var frame = new short[160];

        foreach (char key in "7#")
        {
            tone.Start(key, -10);
            for (int i = 0; i < 5; i++)
                SendFrame(); // 100 ms of tone
            tone.Stop();
            for (int i = 0; i < 5; i++)
                SendFrame(); // 100 ms pause
        }
        worker.RunTicks(10);
        Assert.Equal(['7', '#'], digits);

        void SendFrame()
        {
            tone.Write(frame);
            leg.OnRtp(phone.Packet(8, Audio.Encode(encoder, frame)), Phone.At(4000, "10.0.0.1"), worker.Now);
            worker.RunTick();
        }
    }

    [Fact]
    public void The_inband_detector_runs_only_while_someone_listens_for_digits()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(eventPayloadType: null), worker.Now);
        var phone = new Phone();
        var encoder = new PcmaEncoder();
        var tone = new DtmfToneGenerator(8000);
        var frame = new short[160];

        // Nobody listens and nothing else needs the audio: no pipeline, no filter bank.
        Assert.Null(leg.Pipeline);
        Press('4');

        var digits = new List<char>();
        void Listener(RtpLeg _, char d) => digits.Add(d);
        leg.DigitReceived += Listener;
        Assert.True(leg.Pipeline!.DetectsInband);
        Press('6');
        Assert.Equal(['6'], digits);

        // Recording keeps the pipeline after the listener goes, but the detector stops.
        leg.AddPcmConsumer();
        leg.DigitReceived -= Listener;
        Assert.False(leg.Pipeline.DetectsInband);
        Press('8');
        Assert.Equal(['6'], digits);

        void Press(char key)
        {
            tone.Start(key, -10);
            for (int i = 0; i < 10; i++)
            {
                if (i == 5)
                    tone.Stop();
                tone.Write(frame);
                leg.OnRtp(phone.Packet(8, Audio.Encode(encoder, frame)), Phone.At(4000, "10.0.0.1"), worker.Now);
                worker.RunTick();
            }
            worker.RunTicks(10);
        }
    }

    [Fact]
    public void SendDtmf_uses_the_payload_type_the_peer_negotiated()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(eventPayloadType: 96), worker.Now);
        leg.SendDtmf('9', TimeSpan.FromMilliseconds(100));
        worker.RunTicks(15);

        var events = sink.Packets();
        Assert.Equal(7, events.Count); // 4 updates then the end packet three times (RFC 4733 §2.5.1.4)
        Assert.All(events, p => Assert.Equal(96, p.Header.PayloadType));
        Assert.All(events, p => Assert.Equal(events[0].Header.Timestamp, p.Header.Timestamp));
        Assert.True(events[0].Header.Marker);
        Assert.All(events.Skip(1), p => Assert.False(p.Header.Marker));
        var parsed = events.Select(p => { Rfc4733Event.TryRead(p.Payload, out var e); return e; }).ToList();
        Assert.All(parsed, e => Assert.Equal('9', e.Digit));
        Assert.Equal([160, 320, 480, 640, 800, 800, 800], parsed.Select(e => (int)e.Duration));
        Assert.Equal([false, false, false, false, true, true, true], parsed.Select(e => e.End));
    }

    [Fact]
    public void SendDtmf_plays_dual_tones_when_the_peer_has_no_telephone_event()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcmu(eventPayloadType: null), worker.Now);
        leg.SendDtmf('3', TimeSpan.FromMilliseconds(100));
        leg.SendDtmf('8', TimeSpan.FromMilliseconds(100));
        worker.RunTicks(30);

        var pcm = Audio.Decode(AudioCodecs.Pcmu, sink.Packets().Select(p => p.Payload));
        var detector = new InbandDtmfDetector(8000);
        var found = new char[4];
        // Between the digits nothing is sent; put the pause back in so the detector sees two presses.
        var withPause = pcm.Take(800).Concat(new short[800]).Concat(pcm.Skip(800)).ToArray();
        int n = detector.Process(withPause, found);
        Assert.Equal("38", new string(found, 0, n));
    }

    [Fact]
    public void Sequence_numbers_run_on_from_audio_through_events_and_back()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(eventPayloadType: 101), worker.Now);
        leg.PlayTone(Hotline.Media.Playback.ChinaTones.Dial);
        worker.RunTicks(3);
        leg.SendDtmf('1', TimeSpan.FromMilliseconds(60));
        worker.RunTicks(12);

        var packets = sink.Packets();
        for (int i = 1; i < packets.Count; i++)
            Assert.Equal((ushort)(packets[i - 1].Header.SequenceNumber + 1), packets[i].Header.SequenceNumber);
        var firstEvent = packets.First(p => p.Header.PayloadType == 101);
        var afterEvents = packets.SkipWhile(p => p.Header.PayloadType != 101).First(p => p.Header.PayloadType == 8);
        Assert.True(afterEvents.Header.Marker);
        // Audio resumes at the media time, after the event's duration.
        Assert.True(RtpSerial.Difference(afterEvents.Header.Timestamp, firstEvent.Header.Timestamp) >= 480);
    }
}
