using Hotline.Media.Codecs;
using Hotline.Media.Playback;
using Hotline.Media.Tests.Mixing;
using NAudio.Wave;

namespace Hotline.Media.Tests.Engine;

/// <summary>Tones, prompts and music on hold played into a leg, on fake time.</summary>
public sealed class LegPlaybackTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-engine-" + Guid.NewGuid().ToString("N"));

    public LegPlaybackTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Ringback_is_one_second_of_450_Hz_then_four_of_silence_one_packet_per_tick()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.PlayTone(ChinaTones.Ringback);
        worker.RunTicks(300);

        var packets = sink.Packets();
        Assert.Equal(300, packets.Count);
        for (int i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(packets[i - 1].Header.SequenceNumber + 1), packets[i].Header.SequenceNumber);
            Assert.Equal(packets[i - 1].Header.Timestamp + 160, packets[i].Header.Timestamp);
            Assert.False(packets[i].Header.Marker);
        }
        Assert.True(packets[0].Header.Marker);

        var pcm = Audio.Decode(AudioCodecs.Pcma, packets.Select(p => p.Payload));
        Assert.True(Goertzel.Amplitude(pcm.AsSpan(400, 7200), 450, 8000) > 1000);     // 0.05-0.95 s: tone
        Assert.True(Audio.Rms(pcm.AsSpan(8400, 31200)) < 20);                          // 1.05-4.95 s: silence
        Assert.True(Goertzel.Amplitude(pcm.AsSpan(40400, 7200), 450, 8000) > 1000);   // 5.05 s on: again
    }

    [Fact]
    public void Busy_tone_alternates_every_350_ms()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcmu(), worker.Now);
        leg.PlayTone(ChinaTones.Busy);
        worker.RunTicks(105);

        var pcm = Audio.Decode(AudioCodecs.Pcmu, sink.Packets().Select(p => p.Payload));
        for (int burst = 0; burst < 3; burst++)
        {
            int start = burst * 5600;
            Assert.True(Goertzel.Amplitude(pcm.AsSpan(start + 100, 2600), 450, 8000) > 1000, $"burst {burst}");
            Assert.True(Audio.Rms(pcm.AsSpan(start + 2900, 2600)) < 20, $"pause {burst}");
        }
    }

    [Fact]
    public void Tone_follows_the_codec_rate_after_a_reinvite_to_wideband()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        worker.RunTicks(5);
        leg.Apply(Negotiations.Of(AudioCodecs.G722, 9), worker.Now);
        worker.RunTicks(10);

        var wideband = sink.Packets().Skip(5).ToList();
        Assert.All(wideband, p => Assert.Equal(9, p.Header.PayloadType));
        var pcm = Audio.Decode(AudioCodecs.G722, wideband.Select(p => p.Payload));
        Assert.True(Goertzel.Amplitude(pcm.AsSpan(640, 1600), 450, 16000) > 1000);
    }

    [Fact]
    public void A_prompt_plays_once_and_reports_completion()
    {
        string path = WriteWav("beep.wav", 1000, 8000, 0.5);
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        int completed = 0;
        leg.PlaybackCompleted += _ => completed++;

        Assert.True(leg.PlayPrompt(worker.Context.Prompts.Get(path, 8000)));
        worker.RunTicks(40);

        Assert.Equal(1, completed);
        Assert.Equal(25, sink.Rtp.Count); // 0.5 s in 20 ms packets, then nothing: the leg is not bridged
        var pcm = Audio.Decode(AudioCodecs.Pcma, sink.Packets().Select(p => p.Payload));
        Assert.True(Goertzel.Amplitude(pcm.AsSpan(800, 2400), 1000, 8000) > 3000);
    }

    [Fact]
    public void Held_callers_share_one_music_stream_and_hear_the_same_frame_on_the_same_tick()
    {
        WriteWav("music.wav", 600, 8000, 2);
        var worker = new FakeWorker(musicFolder: _folder);
        var first = worker.AddLeg("first", out var firstSink, seed: 1);
        var second = worker.AddLeg("second", out var secondSink, seed: 2);
        first.Apply(Negotiations.Pcma(), worker.Now);
        second.Apply(Negotiations.Pcma(), worker.Now);
        var stream = worker.Context.Music.GetStream(8000);

        first.PlayMusic(stream);
        worker.RunTicks(10);
        second.PlayMusic(stream);
        worker.RunTicks(20);

        var a = firstSink.Packets().Skip(10).Select(p => p.Payload).ToList();
        var b = secondSink.Packets().Select(p => p.Payload).ToList();
        Assert.Equal(20, b.Count);
        for (int i = 0; i < b.Count; i++)
            Assert.Equal(a[i], b[i]);
        Assert.Equal(30, stream.FramesProduced);
        var pcm = Audio.Decode(AudioCodecs.Pcma, b);
        Assert.Equal(600, Goertzel.Strongest(pcm, 8000, 450, 600, 1000));
    }

    [Fact]
    public void Stopping_playback_stops_the_packets()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.PlayTone(ChinaTones.Congestion);
        worker.RunTicks(10);
        leg.StopPlayback();
        worker.RunTicks(10);
        Assert.Equal(10, sink.Rtp.Count);
        Assert.False(leg.IsPlaying);
    }

    private string WriteWav(string name, double frequency, int rate, double seconds)
    {
        string path = Path.Combine(_folder, name);
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        var pcm = Audio.Tone(frequency, rate, (int)(rate * seconds), 10000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        writer.Write(bytes, 0, bytes.Length);
        return path;
    }
}
