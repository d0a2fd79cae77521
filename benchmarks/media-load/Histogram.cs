namespace Hotline.MediaLoad;

/// <summary>Delays in microseconds, counted in 10 µs buckets up to 2 s (the last bucket holds the rest).</summary>
internal readonly struct Histogram(long[] counts)
{
    public const int Buckets = 200_000;
    private const int Width = 10;

    public static int Bucket(long microseconds) => (int)Math.Clamp(microseconds / Width, 0, Buckets - 1);

    public long Total => counts.Sum();

    public double Max
    {
        get
        {
            for (int i = counts.Length - 1; i >= 0; i--)
                if (counts[i] > 0)
                    return (i + 1) * Width;
            return 0;
        }
    }

    /// <summary>The delay below which <paramref name="fraction"/> of the packets arrived (bucket upper edge).</summary>
    public double Percentile(double fraction)
    {
        long total = Total;
        if (total == 0)
            return double.NaN;
        long wanted = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= wanted)
                return (i + 1) * Width;
        }
        return Buckets * Width;
    }

}
