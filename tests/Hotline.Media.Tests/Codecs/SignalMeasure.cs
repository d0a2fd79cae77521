namespace Hotline.Media.Tests.Codecs;

/// <summary>Measurements for codec tests: Goertzel tone power, dominant frequency, level, SNR, delay.</summary>
internal static class SignalMeasure
{
    /// <summary>Power of <paramref name="frequency"/> in <paramref name="x"/> (Goertzel over a Hann window), as amplitude².</summary>
    public static double TonePower(ReadOnlySpan<short> x, double frequency, int sampleRate) =>
        Goertzel(Windowed(x, out double windowSum), frequency, sampleRate, windowSum);

    /// <summary>Amplitude of a sine at <paramref name="frequency"/>.</summary>
    public static double ToneAmplitude(ReadOnlySpan<short> x, double frequency, int sampleRate) =>
        Math.Sqrt(TonePower(x, frequency, sampleRate));

    /// <summary>The frequency with the most power, searched on a 5 Hz grid from 50 Hz to just below Nyquist.</summary>
    public static double DominantFrequency(ReadOnlySpan<short> x, int sampleRate)
    {
        var windowed = Windowed(x, out double windowSum);
        double best = 0, bestFrequency = 0;
        for (double f = 50; f < sampleRate / 2.0 - 25; f += 5)
        {
            double p = Goertzel(windowed, f, sampleRate, windowSum);
            if (p > best)
            {
                best = p;
                bestFrequency = f;
            }
        }
        return bestFrequency;
    }

    private static double[] Windowed(ReadOnlySpan<short> x, out double windowSum)
    {
        var windowed = new double[x.Length];
        windowSum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (x.Length - 1));
            windowSum += w;
            windowed[i] = x[i] * w;
        }
        return windowed;
    }

    // Goertzel's recurrence evaluates one DFT bin at any frequency; scaled so a sine of amplitude A gives A².
    private static double Goertzel(double[] windowed, double frequency, int sampleRate, double windowSum)
    {
        double coefficient = 2 * Math.Cos(2 * Math.PI * frequency / sampleRate);
        double s1 = 0, s2 = 0;
        foreach (double v in windowed)
        {
            double s0 = v + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        double power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return 4 * power / (windowSum * windowSum);
    }

    public static double Rms(ReadOnlySpan<short> x)
    {
        double sum = 0;
        foreach (var s in x)
            sum += (double)s * s;
        return Math.Sqrt(sum / Math.Max(1, x.Length));
    }

    /// <summary>SNR in dB of <paramref name="test"/> against <paramref name="reference"/> (same length, aligned).</summary>
    public static double Snr(ReadOnlySpan<short> reference, ReadOnlySpan<short> test)
    {
        double signal = 0, noise = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            signal += (double)reference[i] * reference[i];
            double e = reference[i] - test[i];
            noise += e * e;
        }
        return 10 * Math.Log10(signal / Math.Max(noise, 1e-9));
    }

    /// <summary>
    /// Segmental SNR (ITU-T P-series practice): mean of per-segment SNRs, each clamped to [-10, 35] dB,
    /// over segments whose reference level is above -40 dBFS so silence does not count.
    /// </summary>
    public static double SegmentalSnr(ReadOnlySpan<short> reference, ReadOnlySpan<short> test, int segment)
    {
        double total = 0;
        int count = 0;
        for (int at = 0; at + segment <= reference.Length; at += segment)
        {
            var r = reference.Slice(at, segment);
            if (Rms(r) < 32768 * 0.01)
                continue;
            total += Math.Clamp(Snr(r, test.Slice(at, segment)), -10, 35);
            count++;
        }
        return total / Math.Max(1, count);
    }

    /// <summary>Delay (in samples, 0..maxLag) of <paramref name="test"/> behind <paramref name="reference"/> with the highest normalised correlation.</summary>
    public static int BestLag(ReadOnlySpan<short> reference, ReadOnlySpan<short> test, int maxLag)
    {
        int bestLag = 0;
        double best = double.MinValue;
        int length = Math.Min(reference.Length, test.Length) - maxLag;
        for (int lag = 0; lag <= maxLag; lag++)
        {
            double c = 0, e = 0;
            for (int i = 0; i < length; i++)
            {
                c += (double)reference[i] * test[i + lag];
                e += (double)test[i + lag] * test[i + lag];
            }
            double normalised = c / Math.Sqrt(Math.Max(e, 1));
            if (normalised > best)
            {
                best = normalised;
                bestLag = lag;
            }
        }
        return bestLag;
    }

    /// <summary>Aligns <paramref name="test"/> to <paramref name="reference"/> by <see cref="BestLag"/>, then returns both trimmed to the same length.</summary>
    public static (short[] Reference, short[] Test, int Lag) Align(ReadOnlySpan<short> reference, ReadOnlySpan<short> test, int maxLag)
    {
        int lag = BestLag(reference, test, maxLag);
        int length = Math.Min(reference.Length, test.Length - lag);
        return (reference[..length].ToArray(), test.Slice(lag, length).ToArray(), lag);
    }

    /// <summary>
    /// Level, relative to the signal, of what remains after subtracting the least-squares sine at
    /// <paramref name="frequency"/> (any phase): distortion plus noise. Use a whole number of periods.
    /// </summary>
    public static double SineResidualDb(ReadOnlySpan<short> x, double frequency, int sampleRate)
    {
        double c = 0, s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            c += x[i] * Math.Cos(w);
            s += x[i] * Math.Sin(w);
        }
        c *= 2.0 / x.Length;
        s *= 2.0 / x.Length;
        double residual = 0, total = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double w = 2 * Math.PI * frequency * i / sampleRate;
            double e = x[i] - c * Math.Cos(w) - s * Math.Sin(w);
            residual += e * e;
            total += (double)x[i] * x[i];
        }
        return 10 * Math.Log10(Math.Max(residual, 1e-9) / total);
    }
}
