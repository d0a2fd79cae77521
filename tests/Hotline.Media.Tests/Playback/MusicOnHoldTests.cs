using Hotline.Media.Playback;
using Hotline.Media.Tests.Mixing;
using Hotline.Media.Tests.Recording;

namespace Hotline.Media.Tests.Playback;

public class MusicOnHoldTests
{
    /// <summary>Two files, 0.5 s of 300 Hz then 0.3 s of 700 Hz: a 0.8 s loop = 40 frames at 20 ms.</summary>
    private static string Folder(TempDirectory dir)
    {
        string folder = Path.Combine(dir.Path, "moh", "default");
        Directory.CreateDirectory(folder);
        TestWavFiles.Write(Path.Combine(folder, "01-first.wav"), 44100, 16, false, [300, 300], 0.5);
        TestWavFiles.Write(Path.Combine(folder, "02-second.wav"), 22050, 32, true, [700], 0.3);
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "ignored");
        return folder;
    }

    [Fact]
    public void Every_listener_gets_the_same_frame_per_tick_and_one_frame_is_produced_per_tick()
    {
        using var dir = new TempDirectory();
        var moh = new MusicOnHold("default", Folder(dir), new PromptCache());
        var streams = Enumerable.Range(0, 1000).Select(_ => moh.GetStream(8000)).ToArray();
        Assert.All(streams, s => Assert.Same(streams[0], s));

        var heard = new short[1000][];
        for (int i = 0; i < heard.Length; i++)
            heard[i] = new short[160];
        for (long tick = 100; tick < 120; tick++)
        {
            for (int caller = 0; caller < 1000; caller++)
                streams[caller].Read(tick, heard[caller]);
            Assert.All(heard, h => Assert.Equal(heard[0], h));
        }
        Assert.Equal(20, streams[0].FramesProduced);
    }

    [Fact]
    public void Plays_the_files_in_order_and_loops()
    {
        using var dir = new TempDirectory();
        var moh = new MusicOnHold("default", Folder(dir), new PromptCache());
        Assert.Equal(["01-first.wav", "02-second.wav"], moh.Files.Select(Path.GetFileName));
        var stream = moh.GetStream(8000);

        var loop1 = Collect(stream, 0, 40);
        var loop2 = Collect(stream, 40, 40);

        Assert.Equal(300, Goertzel.Strongest(loop1.AsSpan(400, 3200), 8000, 300, 700));
        Assert.Equal(700, Goertzel.Strongest(loop1.AsSpan(4400, 1600), 8000, 300, 700));
        Assert.Equal(loop1, loop2);
        Assert.Equal(2, stream.Loops);
    }

    [Fact]
    public void Streams_are_shared_per_rate_and_each_rate_converts_the_files_once()
    {
        using var dir = new TempDirectory();
        var cache = new PromptCache();
        var moh = new MusicOnHold("default", Folder(dir), cache);
        var narrow = moh.GetStream(8000);
        var wide = moh.GetStream(16000);
        Assert.NotSame(narrow, wide);
        Assert.Same(wide, moh.GetStream(16000));
        Assert.Equal(320, wide.GetFrame(0).Length);
        Assert.Equal(4, cache.Loads);
    }

    [Fact]
    public void Several_workers_asking_for_the_same_ticks_share_each_frame()
    {
        using var dir = new TempDirectory();
        var stream = new MusicOnHold("default", Folder(dir), new PromptCache()).GetStream(8000);
        var results = new short[4][][];
        // Workers run on their own 20 ms clocks, within a tick of each other: a barrier per tick stands in for that.
        using var clock = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            results[w] = new short[200][];
            for (int t = 0; t < 200; t++)
            {
                var frame = new short[160];
                stream.Read(t, frame);
                results[w][t] = frame;
                clock.SignalAndWait();
            }
        })).ToArray();
        foreach (var worker in workers)
            worker.Start();
        foreach (var worker in workers)
            worker.Join();
        for (int t = 0; t < 200; t++)
            for (int w = 1; w < 4; w++)
                Assert.Equal(results[0][t], results[w][t]);
        Assert.Equal(200, stream.FramesProduced);
    }

    [Fact]
    public void After_a_gap_with_no_listeners_the_stream_is_where_a_radio_would_be()
    {
        using var dir = new TempDirectory();
        var reference = Collect(new MusicOnHold("a", Folder(dir), new PromptCache()).GetStream(8000), 0, 40);
        var stream = new MusicOnHold("b", Path.Combine(dir.Path, "moh", "default"), new PromptCache()).GetStream(8000);
        stream.GetFrame(0);
        // 1,000,013 ticks later = 25,000 loops + 13 frames.
        Assert.Equal(reference.AsSpan(13 * 160, 160).ToArray(), stream.GetFrame(1_000_013).ToArray());
        Assert.InRange(stream.FramesProduced, 1, 5);
    }

    [Fact]
    public void Empty_folder_falls_back_to_a_tone()
    {
        using var dir = new TempDirectory();
        string empty = Path.Combine(dir.Path, "empty");
        Directory.CreateDirectory(empty);
        var stream = new MusicOnHold("empty", empty, new PromptCache(), ToneSpec.Parse("450")).GetStream(8000);
        Assert.True(stream.IsFallback);
        var audio = Collect(stream, 0, 50);
        Assert.InRange(Goertzel.Amplitude(audio, 450, 8000), 7000, 7500);
    }

    [Fact]
    public void Reload_picks_up_new_files_at_the_end_of_the_loop()
    {
        using var dir = new TempDirectory();
        string folder = Folder(dir);
        var moh = new MusicOnHold("default", folder, new PromptCache());
        var stream = moh.GetStream(8000);
        Collect(stream, 0, 10);
        TestWavFiles.Write(Path.Combine(folder, "03-third.wav"), 8000, 16, false, [1100], 0.2);
        moh.Reload();
        var rest = Collect(stream, 10, 30);          // finishes the old loop: no 1,100 Hz
        var next = Collect(stream, 40, 50);          // new loop of 1.0 s = 50 frames
        Assert.InRange(Goertzel.Amplitude(rest, 1100, 8000), 0, 50);
        Assert.Equal(1100, Goertzel.Strongest(next.AsSpan(6400, 1600), 8000, 300, 700, 1100));
        Assert.Equal(3, moh.Files.Count);
    }

    [Fact]
    public void Unreadable_files_are_skipped_and_reported()
    {
        using var dir = new TempDirectory();
        string folder = Folder(dir);
        File.WriteAllText(Path.Combine(folder, "00-broken.wav"), "not audio");
        var moh = new MusicOnHold("default", folder, new PromptCache());
        var stream = moh.GetStream(8000);
        Assert.Contains(moh.Problems, p => p.Contains("00-broken.wav"));
        Assert.Equal(300, Goertzel.Strongest(Collect(stream, 0, 10), 8000, 300, 700));
    }

    [Fact]
    public void Getting_frames_allocates_nothing()
    {
        using var dir = new TempDirectory();
        var stream = new MusicOnHold("default", Folder(dir), new PromptCache()).GetStream(8000);
        var frame = new short[160];
        stream.Read(0, frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (long t = 1; t < 500; t++)
        {
            stream.Read(t, frame);
            stream.Read(t, frame);
        }
        stream.GetFrame(100_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static short[] Collect(MusicOnHoldStream stream, long firstTick, int ticks)
    {
        var audio = new short[ticks * stream.SamplesPerFrame];
        for (int i = 0; i < ticks; i++)
            stream.Read(firstTick + i, audio.AsSpan(i * stream.SamplesPerFrame, stream.SamplesPerFrame));
        return audio;
    }
}
