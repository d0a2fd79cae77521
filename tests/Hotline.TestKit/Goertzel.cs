namespace Hotline.TestKit;

/// <summary>
/// Goertzel single-bin DFT: how strongly one frequency is present, as the amplitude of a sine at
/// that frequency (a full-scale sine of amplitude A reads ≈ A when the block holds a whole number
/// of its cycles, and far less for other bin-aligned frequencies).
/// </summary>
public static class Goertzel
{
    public static double Amplitude(ReadOnlySpan<short> samples, double frequency, int sampleRate)
    {
        double w = 2 * Math.PI * frequency / sampleRate;
        double coeff = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }

    public static double Amplitude(ReadOnlySpan<float> samples, double frequency, int sampleRate)
    {
        var shorts = new short[samples.Length];
        for (int i = 0; i < shorts.Length; i++)
            shorts[i] = (short)Math.Clamp(Math.Round(samples[i] * 32767.0), short.MinValue, short.MaxValue);
        return Amplitude(shorts, frequency, sampleRate);
    }

    /// <summary>The frequency among <paramref name="candidates"/> with the largest amplitude.</summary>
    public static double Strongest(ReadOnlySpan<short> samples, int sampleRate, params double[] candidates)
    {
        double best = candidates[0], bestAmp = -1;
        foreach (double f in candidates)
        {
            double a = Amplitude(samples, f, sampleRate);
            if (a > bestAmp)
                (best, bestAmp) = (f, a);
        }
        return best;
    }
}
