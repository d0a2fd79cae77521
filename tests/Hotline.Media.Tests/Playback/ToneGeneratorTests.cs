using Hotline.Media.Playback;
using Hotline.Media.Tests.Mixing;

namespace Hotline.Media.Tests.Playback;

public class ToneGeneratorTests
{
    /// <summary>−10 dBm0 as a 16-bit peak: 32767 × 10^((−10 − 3.14) / 20).</summary>
    private static readonly double MinusTenDbm0 = 32767 * Math.Pow(10, (-10 - 3.14) / 20);

    private static short[] Generate(ToneGenerator tone, int samples, int frame = 160)
    {
        var output = new short[samples];
        for (int i = 0; i < samples; i += frame)
            tone.Read(output.AsSpan(i, Math.Min(frame, samples - i)));
        return output;
    }

    /// <summary>Lengths of alternating on/off runs, judged by 20-sample windows (a sine crosses zero inside "on").</summary>
    private static void AssertCadence(short[] samples, int on, int off, int cycles)
    {
        for (int c = 0; c < cycles; c++)
        {
            int start = c * (on + off);
            Assert.All(samples.AsSpan(start + on, off).ToArray(), s => Assert.Equal(0, s));
            // Exact edges: the sample before the silence is part of the burst, and the burst restarts at zero phase.
            Assert.NotEqual(0, samples[start + on - 1] | samples[start + on - 2]);
            Assert.Equal(0, samples[start]);
            Assert.NotEqual(0, samples[start + 1]);
            for (int w = start; w + 20 <= start + on; w += 20)
                Assert.Contains(samples.AsSpan(w, 20).ToArray(), s => Math.Abs((int)s) > 1000);
        }
    }

    [Theory]
    [InlineData(8000)]
    [InlineData(16000)]
    public void Busy_tone_is_450_Hz_350_ms_on_350_ms_off_exact_to_the_sample(int rate)
    {
        var tone = new ToneGenerator(ChinaTones.Busy, rate);
        int on = rate * 350 / 1000;            // 2,800 samples at 8 kHz
        var samples = Generate(tone, 8 * on);
        Assert.Equal(rate == 8000 ? 2800 : 5600, on);
        AssertCadence(samples, on, on, 4);
        // The first quarter second of the burst holds 112.5 cycles: close enough to bin-aligned for 1 %.
        Assert.InRange(Goertzel.Amplitude(samples.AsSpan(0, rate / 4), 450, rate), MinusTenDbm0 * 0.99, MinusTenDbm0 * 1.01);
    }

    [Fact]
    public void Ringback_congestion_and_call_waiting_follow_their_cadences()
    {
        AssertCadence(Generate(new ToneGenerator(ChinaTones.Ringback, 8000), 2 * 40_000), 8000, 32_000, 2);
        AssertCadence(Generate(new ToneGenerator(ChinaTones.Congestion, 8000), 4 * 5600), 5600, 5600, 2);
        AssertCadence(Generate(new ToneGenerator(ChinaTones.CallWaiting, 8000), 2 * 35_200), 3200, 32_000, 2);
    }

    [Fact]
    public void Dial_tone_is_continuous_and_phase_continuous_across_frames()
    {
        var framed = Generate(new ToneGenerator(ChinaTones.Dial, 8000), 80_000, frame: 160);
        var odd = Generate(new ToneGenerator(ChinaTones.Dial, 8000), 80_000, frame: 37);
        Assert.Equal(framed, odd);
        // Within 1 LSB of an ideal sine for 10 s: rounding (±0.5) plus the 32-bit phase step's
        // quantisation, which drifts by a third of an LSB over 80,000 samples at this level.
        for (int n = 0; n < framed.Length; n++)
            Assert.InRange(framed[n] - MinusTenDbm0 * Math.Sin(2 * Math.PI * 450 * n / 8000), -1.0, 1.0);
    }

    [Fact]
    public void Level_is_configurable_in_dBm0()
    {
        var quiet = Generate(new ToneGenerator("450", 8000, levelDbm0: -20), 8000);
        Assert.InRange(Goertzel.Amplitude(quiet, 450, 8000), MinusTenDbm0 / Math.Sqrt(10) * 0.99, MinusTenDbm0 / Math.Sqrt(10) * 1.01);
    }

    [Fact]
    public void Dual_frequency_spec_sums_both_tones()
    {
        var samples = Generate(new ToneGenerator("350+440", 8000), 8000);
        Assert.InRange(Goertzel.Amplitude(samples, 350, 8000), MinusTenDbm0 * 0.99, MinusTenDbm0 * 1.01);
        Assert.InRange(Goertzel.Amplitude(samples, 440, 8000), MinusTenDbm0 * 0.99, MinusTenDbm0 * 1.01);
    }

    [Fact]
    public void Parts_marked_once_play_once_then_the_rest_repeats()
    {
        var spec = ToneSpec.Parse("!1000/100,!0/100,450/50,0/50");
        Assert.Equal(2, spec.RepeatFrom);
        var samples = Generate(new ToneGenerator(spec, 8000), 8000);
        Assert.Equal(1000, Goertzel.Strongest(samples.AsSpan(0, 800), 8000, 450, 1000));
        Assert.All(samples.AsSpan(800, 800).ToArray(), s => Assert.Equal(0, s));
        AssertCadence(samples[1600..], 400, 400, 7);
    }

    [Fact]
    public void Tone_with_every_part_marked_once_finishes_into_silence()
    {
        var tone = new ToneGenerator("!450/100,!0/20", 8000);
        var samples = Generate(tone, 2000);
        Assert.True(tone.IsFinished);
        Assert.All(samples.AsSpan(960).ToArray(), s => Assert.Equal(0, s));
        Assert.NotEqual(0, samples[799]);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "frequencies")]
    [InlineData("450/-5", "duration")]
    [InlineData("450/x", "duration")]
    [InlineData("350*440", "modulated")]
    [InlineData("450,0/100", "last part")]
    [InlineData("45000", "frequencies")]
    public void Bad_specs_are_refused_with_a_reason(string spec, string reason)
    {
        Assert.False(ToneSpec.TryParse(spec, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => ToneSpec.Parse(spec));
    }

    [Fact]
    public void Spec_round_trips_through_its_notation()
    {
        var spec = ToneSpec.Parse("!350+440/100,!0/100,350+440");
        Assert.Equal("!350+440/100,!0/100,350+440", ToneSpec.Format(spec.Segments));
        Assert.Equal(new ToneSegment(350, 440, 0, false), spec.Segments[2]);
    }

    [Fact]
    public void Generating_frames_allocates_nothing()
    {
        var tone = new ToneGenerator(ChinaTones.SpecialInformation, 8000);
        var frame = new short[160];
        tone.Read(frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            tone.Read(frame);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
