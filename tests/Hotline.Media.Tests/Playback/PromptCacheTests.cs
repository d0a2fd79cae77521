using Hotline.Media.Codecs;
using Hotline.Media.Playback;
using Hotline.Media.Tests.Mixing;
using Hotline.Media.Tests.Recording;

namespace Hotline.Media.Tests.Playback;

public class PromptCacheTests
{
    public static TheoryData<int, int, bool, int> Formats => new()
    {
        // source rate, bits, IEEE float, channels
        { 22050, 32, true, 2 },
        { 44100, 24, false, 2 },
        { 44100, 24, false, 1 },
        { 48000, 32, false, 1 },
        { 11025, 8, false, 2 },
        { 16000, 16, false, 1 },
        { 8000, 16, false, 2 },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Any_common_format_is_converted_to_mono_pcm16_at_8_and_16_kHz_with_right_duration_and_frequency(int rate, int bits, bool ieeeFloat, int channels)
    {
        using var dir = new TempDirectory();
        // Left 440 Hz, right 1,200 Hz (mono files: 440 Hz only); stereo is averaged, so each is at half amplitude.
        double[] tones = channels == 2 ? [440, 1200] : [440];
        string path = TestWavFiles.Write(dir.File("prompt.wav"), rate, bits, ieeeFloat, tones, seconds: 1.5, amplitude: 0.5);
        var cache = new PromptCache();

        foreach (int target in new[] { 8000, 16000 })
        {
            var prompt = cache.Get(path, target);
            Assert.Equal(target, prompt.SampleRate);
            // Duration within 2 ms (resamplers lose or add a few samples of filter delay at the ends).
            Assert.InRange(prompt.Length, 1.5 * target - target / 500, 1.5 * target + target / 500);
            Assert.Equal(1.5, prompt.Duration.TotalSeconds, 0.002);

            // One whole second from the middle: every integer frequency is bin-aligned.
            var middle = prompt.Samples.Slice(target / 4, target);
            double expected = 0.5 * 32768 / channels;
            double tolerance = bits == 8 ? 0.05 : 0.03;
            foreach (double f in tones)
                Assert.InRange(Goertzel.Amplitude(middle, f, target), expected * (1 - tolerance), expected * (1 + tolerance));
            Assert.InRange(Goertzel.Amplitude(middle, 800, target), 0, expected * 0.01);
        }
        Assert.Contains($"{rate} Hz, {channels} ch", cache.Get(path, 8000).SourceFormat);
    }

    [Theory]
    [InlineData(44100, 8000)]
    [InlineData(22050, 8000)]
    [InlineData(8000, 16000)]
    [InlineData(48000, 16000)]
    public void Telephone_band_up_to_3_kHz_survives_resampling_and_out_of_band_tones_do_not_alias(int sourceRate, int targetRate)
    {
        using var dir = new TempDirectory();
        string inBand = TestWavFiles.Write(dir.File("3k.wav"), sourceRate, 16, false, [3000], 1.0);
        var prompt = new PromptCache().Get(inBand, targetRate);
        Assert.Equal(targetRate, prompt.Length);
        Assert.InRange(Goertzel.Amplitude(prompt.Samples.Slice(targetRate / 4, targetRate / 2), 3000, targetRate), 16384 * 0.97, 16384 * 1.03);

        if (sourceRate / 2 > targetRate - 3000 + 500)
        {
            // A 5 kHz tone can't exist at 8 kHz; it must not fold back to 3 kHz.
            double above = targetRate - 3000;
            string outOfBand = TestWavFiles.Write(dir.File("above.wav"), sourceRate, 16, false, [above], 1.0);
            var filtered = new PromptCache().Get(outOfBand, targetRate);
            Assert.InRange(Goertzel.Amplitude(filtered.Samples.Slice(targetRate / 4, targetRate / 2), 3000, targetRate), 0, 16384 * 0.1);
        }
    }

    [Fact]
    public void Sox_written_24_bit_extensible_wav_is_converted()
    {
        ExternalTool.Require("sox");
        using var dir = new TempDirectory();
        string path = dir.File("sox24.wav");
        var (exit, _, err) = ExternalTool.Run("sox", "-n", "-r", "44100", "-b", "24", "-c", "2", path, "synth", "1", "sine", "600", "vol", "0.5");
        Assert.True(exit == 0, err);
        var prompt = new PromptCache().Get(path, 8000);
        Assert.Equal(8000, prompt.Length, 16.0);
        Assert.InRange(Goertzel.Amplitude(prompt.Samples.Slice(2000, 4000), 600, 8000), 0.5 * 32768 * 0.97, 0.5 * 32768 * 1.03);
    }

    [Fact]
    public void Cache_hit_returns_the_same_buffer_and_each_rate_is_converted_once()
    {
        using var dir = new TempDirectory();
        string path = TestWavFiles.Write(dir.File("welcome.wav"), 22050, 32, true, [440, 440], 0.5);
        var cache = new PromptCache();

        var first = cache.Get(path, 8000);
        var again = cache.Get(path, 8000);
        var relative = cache.Get(Path.GetRelativePath(Environment.CurrentDirectory, path), 8000);
        var wide = cache.Get(path, 16000);

        Assert.Same(first, again);
        Assert.Same(first, relative);
        Assert.True(first.Memory.Equals(again.Memory));
        Assert.NotSame(first, wide);
        Assert.Equal(2, cache.Loads);
    }

    [Fact]
    public async Task Concurrent_requests_for_the_same_prompt_convert_it_once()
    {
        using var dir = new TempDirectory();
        string path = TestWavFiles.Write(dir.File("queue.wav"), 44100, 24, false, [500, 500], 2.0);
        var cache = new PromptCache();
        var prompts = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => cache.Get(path, 8000), TestContext.Current.CancellationToken)));
        Assert.All(prompts, p => Assert.Same(prompts[0], p));
        Assert.Equal(1, cache.Loads);
    }

    [Fact]
    public void Changed_file_is_reloaded()
    {
        using var dir = new TempDirectory();
        string path = TestWavFiles.Write(dir.File("menu.wav"), 16000, 16, false, [300], 0.5);
        var cache = new PromptCache();
        var old = cache.Get(path, 8000);

        TestWavFiles.Write(path, 16000, 16, false, [900], 0.7);
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        var fresh = cache.Get(path, 8000);

        Assert.NotSame(old, fresh);
        Assert.Equal(0.7, fresh.Duration.TotalSeconds, 0.002);
        Assert.Equal(900, Goertzel.Strongest(fresh.Samples.Slice(1000, 4000), 8000, 300, 900));
        Assert.Same(fresh, cache.Get(path, 8000));
    }

    [Fact]
    public void Missing_and_non_wav_files_fail_with_the_path_in_the_error()
    {
        using var dir = new TempDirectory();
        var cache = new PromptCache();
        Assert.Throws<FileNotFoundException>(() => cache.Get(dir.File("nope.wav"), 8000));
        string text = dir.File("text.wav");
        File.WriteAllText(text, "not a wav file, just words");
        var e = Assert.Throws<InvalidDataException>(() => cache.Get(text, 8000));
        Assert.Contains(text, e.Message);
        // A failed load isn't cached: fixing the file makes it loadable.
        TestWavFiles.Write(text, 8000, 16, false, [400], 0.2);
        File.SetLastWriteTimeUtc(text, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(1600, cache.Get(text, 8000).Length);
    }

    [Fact]
    public async Task Encoded_prompt_is_encoded_once_for_a_thousand_callers()
    {
        using var dir = new TempDirectory();
        string path = TestWavFiles.Write(dir.File("hold.wav"), 22050, 32, true, [440, 440], 1.01);
        int encodersCreated = 0;
        var cache = new PromptCache(info =>
        {
            Interlocked.Increment(ref encodersCreated);
            return new BigEndianL16Encoder(info);
        });
        var codec = new AudioCodecInfo("L16", 8000, 8000, -1);

        var encoded = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => cache.GetEncoded(path, codec), TestContext.Current.CancellationToken)));

        Assert.All(encoded, e => Assert.Same(encoded[0], e));
        Assert.Equal(1, encodersCreated);
        Assert.Equal(1, cache.Encodings);
        var prompt = cache.Get(path, 8000);
        Assert.Same(prompt, encoded[0].Source);
        Assert.Equal((prompt.Length + 159) / 160, encoded[0].FrameCount);
        // Frame 3 decodes back to samples 480..639 of the PCM prompt; the last frame is padded with silence.
        var frame3 = encoded[0].Frame(3);
        Assert.Equal(320, frame3.Length);
        for (int i = 0; i < 160; i++)
            Assert.Equal(prompt.Samples[480 + i], (short)(frame3[2 * i] << 8 | frame3[2 * i + 1]));
        var last = encoded[0].Frame(encoded[0].FrameCount - 1);
        Assert.Equal(0, (short)(last[^2] << 8 | last[^1]));
    }

    /// <summary>RFC 3551 L16: network byte order PCM, the simplest real encoder.</summary>
    private sealed class BigEndianL16Encoder(AudioCodecInfo info) : IAudioEncoder
    {
        public AudioCodecInfo Info { get; } = info;

        public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
        {
            for (int i = 0; i < pcm.Length; i++)
            {
                payload[2 * i] = (byte)(pcm[i] >> 8);
                payload[2 * i + 1] = (byte)pcm[i];
            }
            return pcm.Length * 2;
        }
    }
}
