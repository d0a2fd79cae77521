using CsCheck;
using Hotline.Media.Codecs;

namespace Hotline.Media.Tests.Codecs;

public sealed class ResamplerTests
{
    private static short[] Convert(Resampler resampler, short[] input, int frame)
    {
        var output = new List<short>();
        var buffer = new short[resampler.OutputLength(frame) + 1];
        for (int at = 0; at + frame <= input.Length; at += frame)
        {
            int n = resampler.Process(input.AsSpan(at, frame), buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return [.. output];
    }

    public static TheoryData<int, int> RatePairs()
    {
        var data = new TheoryData<int, int>();
        foreach (int from in new[] { 8000, 16000, 48000 })
            foreach (int to in new[] { 8000, 16000, 48000 })
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void A_1kHz_tone_keeps_frequency_and_level_and_20ms_frames_give_the_exact_output_count(int from, int to)
    {
        var tone = TestAudio.Sine(1000, from, 0.5, amplitude: 10000);
        var output = Convert(new Resampler(from, to), tone, from / 50);
        Assert.Equal(to / 2, output.Length);
        var settled = output.AsSpan(to / 20);
        Assert.Equal(1000, SignalMeasure.DominantFrequency(settled, to));
        // Passband ripple of an 80 dB Kaiser design is far below 0.05 dB; 0.1 dB allows for 16-bit rounding.
        double level = 20 * Math.Log10(SignalMeasure.ToneAmplitude(settled, 1000, to) / 10000);
        Assert.InRange(level, -0.1, 0.1);
    }

    [Fact]
    public void A_tone_resampled_8_16_48_8_keeps_its_frequency_level_and_shape()
    {
        var tone = TestAudio.Sine(1000, 8000, 1.0, amplitude: 10000);
        var up = Convert(new Resampler(8000, 16000), tone, 160);
        var up2 = Convert(new Resampler(16000, 48000), up, 320);
        var back = Convert(new Resampler(48000, 8000), up2, 960);
        Assert.Equal(tone.Length, back.Length);
        var settled = back.AsSpan(800);
        Assert.Equal(1000, SignalMeasure.DominantFrequency(settled, 8000));
        double level = 20 * Math.Log10(SignalMeasure.ToneAmplitude(settled, 1000, 8000) / 10000);
        Assert.InRange(level, -0.2, 0.2);
        // Three filters in a row, each linear phase: the shape survives, only delayed (by about 10.5 ms, not a
        // whole number of samples, so compare with the best-fitting 1 kHz sine rather than the input):
        // what is not that sine (distortion, noise, clicks at frame joins) must stay 50 dB below it.
        double residual = SignalMeasure.SineResidualDb(settled[..6400], 1000, 8000);
        Assert.True(residual < -50, $"residual {residual:F1} dB");
    }

    [Theory]
    [InlineData(16000, 8000, 5000)]
    [InlineData(16000, 8000, 7000)]
    [InlineData(48000, 8000, 6000)]
    [InlineData(48000, 8000, 20000)]
    [InlineData(48000, 16000, 10000)]
    [InlineData(48000, 16000, 15000)]
    public void A_tone_above_the_target_Nyquist_frequency_is_strongly_attenuated(int from, int to, int frequency)
    {
        var tone = TestAudio.Sine(frequency, from, 0.5, amplitude: 20000);
        var output = Convert(new Resampler(from, to), tone, from / 50);
        // Whatever is left would be aliased somewhere below Nyquist; measure all of it.
        double rejection = 20 * Math.Log10(SignalMeasure.Rms(output.AsSpan(to / 20)) / SignalMeasure.Rms(tone));
        // Stopband of the design is 80 dB from the Nyquist frequency up; 16-bit rounding of the output
        // sets a floor near -90 dB for this level. 70 dB is the bar.
        Assert.True(rejection < -70, $"{frequency} Hz: {rejection:F1} dB");
    }

    [Theory]
    [MemberData(nameof(RatePairs))]
    public void Frames_join_exactly_as_if_the_signal_were_converted_in_one_piece(int from, int to)
    {
        var speechLike = new short[from];
        var random = new Random(from + to);
        for (int i = 0; i < speechLike.Length; i++)
            speechLike[i] = (short)(8000 * Math.Sin(2 * Math.PI * 300 * i / from) + random.Next(-2000, 2000));
        var whole = new short[to + 1];
        int n = new Resampler(from, to).Process(speechLike, whole);
        var framed = Convert(new Resampler(from, to), speechLike, from / 50);
        Assert.Equal(whole.AsSpan(0, n).ToArray(), framed);
        // Odd-sized pieces join exactly too.
        var odd = new List<short>();
        var resampler = new Resampler(from, to);
        var buffer = new short[to];
        for (int at = 0; at < speechLike.Length;)
        {
            int size = Math.Min(37 + at % 101, speechLike.Length - at);
            int m = resampler.Process(speechLike.AsSpan(at, size), buffer);
            odd.AddRange(buffer.AsSpan(0, m).ToArray());
            at += size;
        }
        Assert.Equal(whole.AsSpan(0, n).ToArray(), odd);
    }

    [Fact]
    public void Any_chunking_of_the_input_gives_the_same_output()
    {
        var signal = TestAudio.Sine(700, 16000, 0.25, amplitude: 12000);
        var whole = new short[48000];
        int expected = new Resampler(16000, 48000).Process(signal, whole);
        Gen.Int[1, 700].Array[1, 40].Sample(sizes =>
        {
            var resampler = new Resampler(16000, 48000);
            var output = new List<short>();
            var buffer = new short[2200];
            int at = 0;
            for (int k = 0; at < signal.Length; k++)
            {
                int size = Math.Min(sizes[k % sizes.Length], signal.Length - at);
                int n = resampler.Process(signal.AsSpan(at, size), buffer);
                output.AddRange(buffer.AsSpan(0, n).ToArray());
                at += size;
            }
            Assert.Equal(whole.AsSpan(0, expected).ToArray(), output);
        }, iter: 50);
    }

    [Fact]
    public void Too_small_an_output_is_refused_without_consuming_input()
    {
        var resampler = new Resampler(8000, 48000);
        Assert.Equal(0, resampler.Process(new short[160], new short[959]));
        Assert.Equal(1, resampler.Rejected);
        Assert.Equal(960, resampler.OutputLength(160));
    }

    [Fact]
    public void A_call_s_converters_share_their_filter_and_equal_rates_keep_no_history()
    {
        // Every recorded or transcoded call makes two: the filter is designed once per rate pair, not per call.
        _ = new Resampler(8000, 16000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        _ = new Resampler(8000, 16000);
        long converting = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        _ = new Resampler(8000, 8000);
        long copying = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(converting, 1, 2_000); // the object and its history (a frame of 16 kHz and the taps)
        Assert.InRange(copying, 1, 200);      // the object alone
    }
}
