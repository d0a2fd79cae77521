namespace Hotline.Benchmarks.Codecs;

/// <summary>Deterministic speech-like test frames: a 140 Hz glottal-like harmonic series with a slow envelope and noise.</summary>
internal static class BenchmarkAudio
{
    public static short[] Frame(int sampleRate, int milliseconds = 20, int seed = 1) => Signal(sampleRate, sampleRate * milliseconds / 1000, seed);

    public static short[] Signal(int sampleRate, int length, int seed = 1)
    {
        var random = new Random(seed);
        var x = new short[length];
        for (int i = 0; i < length; i++)
        {
            double t = (double)i / sampleRate;
            double v = 0;
            for (int h = 1; h <= 20 && 140 * h < sampleRate / 2; h++)
                v += Math.Sin(2 * Math.PI * 140 * h * t + h) / h;
            double envelope = 0.6 + 0.4 * Math.Sin(2 * Math.PI * 3 * t);
            x[i] = (short)Math.Clamp(6000 * envelope * v + random.Next(-300, 300), short.MinValue, short.MaxValue);
        }
        return x;
    }
}
