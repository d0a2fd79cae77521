using Hotline.Media.Recording;
using Hotline.Media.Tests.Mixing;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Media.Tests.Recording;

public class WavRecorderTests
{
    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public async Task Stereo_recording_keeps_caller_left_and_callee_right(int rate)
    {
        using var dir = new TempDirectory();
        await using var writer = new RecordingWriter();
        var recorder = writer.Start(dir.File("call.wav"), rate, WavChannelLayout.Stereo);
        var caller = new SineSource(400, rate, 6000);
        var callee = new SineSource(1000, rate, 6000);
        int frame = rate / 50;
        for (int i = 0; i < 50; i++)
            Assert.True(recorder.WriteStereo(caller.Next(frame), callee.Next(frame)));
        await recorder.StopAsync();

        var (format, ch) = WavReading.Read(recorder.Path);
        Assert.Equal((rate, 2, 16), (format.SampleRate, format.Channels, format.BitsPerSample));
        Assert.Equal(50 * frame, ch[0].Length);
        Assert.Equal(400, Goertzel.Strongest(ch[0], rate, 400, 1000));
        Assert.Equal(1000, Goertzel.Strongest(ch[1], rate, 400, 1000));
        Assert.InRange(Goertzel.Amplitude(ch[0], 400, rate), 5800, 6200);
        Assert.InRange(Goertzel.Amplitude(ch[0], 1000, rate), 0, 10);
        Assert.InRange(Goertzel.Amplitude(ch[1], 400, rate), 0, 10);
    }

    [Fact]
    public async Task A_missing_side_is_silence_for_that_channel_and_channels_stay_aligned()
    {
        using var dir = new TempDirectory();
        await using var writer = new RecordingWriter();
        var recorder = writer.Start(dir.File("gap.wav"), 8000, WavChannelLayout.Stereo);
        var left = Enumerable.Repeat((short)1111, 160).ToArray();
        var right = Enumerable.Repeat((short)-2222, 160).ToArray();
        recorder.WriteStereo(left, right);
        recorder.WriteStereo(left, default);      // callee's packet lost
        recorder.WriteStereo(default, right);     // caller's packet lost
        recorder.WriteStereo(left, right);
        await recorder.StopAsync();

        var (_, ch) = WavReading.Read(recorder.Path);
        Assert.Equal(640, ch[0].Length);
        Assert.Equal(640, ch[1].Length);
        Assert.All(ch[0][160..320], s => Assert.Equal(1111, s));
        Assert.All(ch[1][160..320], s => Assert.Equal(0, s));
        Assert.All(ch[0][320..480], s => Assert.Equal(0, s));
        Assert.All(ch[1][320..480], s => Assert.Equal(-2222, s));
        Assert.All(ch[1][480..], s => Assert.Equal(-2222, s));
    }

    [Fact]
    public async Task Mono_recording_mixes_both_sides_with_saturation()
    {
        using var dir = new TempDirectory();
        await using var writer = new RecordingWriter();
        var recorder = writer.Start(dir.File("mono.wav"), 16000, WavChannelLayout.Mono);
        var a = new SineSource(500, 16000, 5000);
        var b = new SineSource(1500, 16000, 5000);
        for (int i = 0; i < 25; i++)
            recorder.WriteStereo(a.Next(320), b.Next(320));
        recorder.WriteStereo(Enumerable.Repeat((short)30000, 320).ToArray(), Enumerable.Repeat((short)30000, 320).ToArray());
        await recorder.StopAsync();

        var (format, ch) = WavReading.Read(recorder.Path);
        Assert.Equal(1, format.Channels);
        Assert.Equal(26 * 320, ch[0].Length);
        Assert.InRange(Goertzel.Amplitude(ch[0].AsSpan(0, 8000), 500, 16000), 4800, 5200);
        Assert.InRange(Goertzel.Amplitude(ch[0].AsSpan(0, 8000), 1500, 16000), 4800, 5200);
        Assert.All(ch[0][^320..], s => Assert.Equal(32767, s));
    }

    [Fact]
    public async Task Recording_in_progress_is_a_valid_wav_whose_header_is_updated_every_second()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2031, 7, 3, 9, 0, 0, TimeSpan.Zero));
        await using var writer = new RecordingWriter(new RecordingWriterOptions { OpenStream = Unbuffered }, time);
        var recorder = writer.Start(dir.File("live.wav"), 8000, WavChannelLayout.Mono);
        var tone = new SineSource(800, 8000, 8000);
        for (int i = 0; i < 50; i++)
            recorder.Write(tone.Next(160));
        await writer.DrainAsync();

        // Audio is on disk but less than a second has passed: the header still says what it said at open.
        var early = WavReading.HeaderSizes(recorder.Path);
        Assert.Equal(44 + 50 * 320, early.FileLength);
        Assert.Equal(0u, early.Data);

        time.Advance(TimeSpan.FromSeconds(1));
        recorder.Write(tone.Next(160));
        await writer.DrainAsync();
        var updated = WavReading.HeaderSizes(recorder.Path);
        Assert.Equal(51u * 320, updated.Data);
        Assert.Equal((uint)updated.FileLength - 8, updated.Riff);

        // Still open for writing, yet a reader sees a well-formed file with the tone in it.
        var (format, ch) = WavReading.Read(recorder.Path);
        Assert.Equal(8000, format.SampleRate);
        Assert.Equal(51 * 160, ch[0].Length);
        Assert.Equal(800, Goertzel.Strongest(ch[0], 8000, 400, 800, 1600));
        Assert.False(recorder.IsStopped);

        await recorder.StopAsync();
        Assert.Equal(51u * 320, WavReading.HeaderSizes(recorder.Path).Data);
    }

    [Fact]
    public async Task Slow_disk_drops_and_counts_frames_instead_of_blocking_the_media_thread()
    {
        using var dir = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        var options = new RecordingWriterOptions
        {
            MaxBacklogFrames = 20,
            OpenStream = path => new GatedStream(Unbuffered(path), gate),
        };
        await using var writer = new RecordingWriter(options);
        var recorder = writer.Start(dir.File("slow.wav"), 8000, WavChannelLayout.Mono);
        var frame = Enumerable.Repeat((short)123, 160).ToArray();

        // The writer thread is stuck in its first disk write; the hand-off must still return at once.
        var media = Task.Run(() =>
        {
            int accepted = 0;
            for (int i = 0; i < 200; i++)
                accepted += recorder.Write(frame) ? 1 : 0;
            return accepted;
        }, TestContext.Current.CancellationToken);
        var finished = await Task.WhenAny(media, Task.Delay(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken));
        Assert.True(finished == media, "the media thread blocked on a slow disk");
        int acceptedFrames = await media;

        Assert.Equal(20, acceptedFrames);
        Assert.Equal(180, recorder.DroppedFrames);
        Assert.Equal(180, writer.DroppedFrames);
        Assert.Equal(20, recorder.FramesQueued);
        Assert.Equal(20, writer.Backlog);

        gate.Set();
        await recorder.StopAsync();
        Assert.Equal(0, writer.Backlog);
        var (_, ch) = WavReading.Read(recorder.Path);
        Assert.Equal(20 * 160, ch[0].Length);
    }

    [Fact]
    public async Task Handing_frames_over_allocates_nothing_in_steady_state()
    {
        using var dir = new TempDirectory();
        using var gate = new ManualResetEventSlim(false);
        await using var writer = new RecordingWriter(new RecordingWriterOptions { OpenStream = path => new GatedStream(Unbuffered(path), gate) });
        var recorders = Enumerable.Range(0, 4).Select(i => writer.Start(dir.File($"r{i}.wav"), 8000, i % 2 == 0 ? WavChannelLayout.Stereo : WavChannelLayout.Mono)).ToArray();
        var left = SineSource.Generate(300, 8000, 3000, 160);
        var right = SineSource.Generate(700, 8000, 3000, 160);
        void HandOff(int frames)
        {
            for (int i = 0; i < frames; i++)
                foreach (var r in recorders)
                    r.WriteStereo(left, right);
        }

        // Warm-up with the disk stalled: the queue and the buffer pool grow to hold twice what is
        // measured below, however slowly the writer runs afterwards on a busy machine.
        HandOff(2000);
        gate.Set();
        await writer.FlushAsync();

        long before = GC.GetAllocatedBytesForCurrentThread();
        HandOff(1000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        foreach (var r in recorders)
            await r.StopAsync();
        Assert.Equal(0, writer.DroppedFrames);
        Assert.Equal(3000 * 160, WavReading.Read(recorders[1].Path).Channels[0].Length);
    }

    [Fact]
    public async Task Disposing_the_writer_finalises_open_recordings_and_refuses_new_frames()
    {
        using var dir = new TempDirectory();
        var writer = new RecordingWriter();
        var recorder = writer.Start(dir.File("open.wav"), 8000, WavChannelLayout.Mono);
        for (int i = 0; i < 10; i++)
            recorder.Write(new short[160]);
        await writer.DisposeAsync();
        Assert.Equal(10u * 320, WavReading.HeaderSizes(recorder.Path).Data);
        Assert.False(recorder.Write(new short[160]));
        Assert.Throws<ObjectDisposedException>(() => writer.Start(dir.File("late.wav"), 8000, WavChannelLayout.Mono));
    }

    [Fact]
    public async Task Unwritable_path_is_reported_not_thrown_on_the_media_thread()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("blocker"), "a file where a folder should be");
        await using var writer = new RecordingWriter();
        var recorder = writer.Start(Path.Combine(dir.File("blocker"), "x.wav"), 8000, WavChannelLayout.Mono);
        await writer.FlushAsync();
        Assert.NotNull(recorder.Error);
        Assert.Equal(1, writer.WriteErrors);
        Assert.False(recorder.Write(new short[160]));
        await recorder.StopAsync();
    }

    internal static Stream Unbuffered(string path) =>
        new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
}

/// <summary>A stream whose writes wait for a gate: a disk that has stalled.</summary>
internal sealed class GatedStream(Stream inner, ManualResetEventSlim gate) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => true;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void SetLength(long value) => inner.SetLength(value);

    public override void Write(byte[] buffer, int offset, int count)
    {
        gate.Wait();
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        gate.Wait();
        inner.Write(buffer);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
