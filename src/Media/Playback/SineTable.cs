namespace Hotline.Media.Playback;

/// <summary>
/// One cycle of a sine in 1,024 steps (plus a guard entry), read with a 32-bit phase accumulator
/// and linear interpolation: the phase wraps exactly at 2^32, so a tone stays phase-continuous
/// for ever with no drift, and the interpolation error (about −100 dB) is far below 16-bit noise.
/// </summary>
internal static class SineTable
{
    private const int Bits = 10;
    private const int Size = 1 << Bits;
    private const int FractionBits = 32 - Bits;
    private const float FractionScale = 1f / (1 << FractionBits);
    private static readonly float[] Table = Build();

    /// <summary>Phase increment per sample for <paramref name="frequency"/> at <paramref name="sampleRate"/>.</summary>
    public static uint Increment(double frequency, int sampleRate) =>
        (uint)Math.Round(frequency / sampleRate * 4294967296.0);

    public static float Sin(uint phase)
    {
        uint index = phase >> FractionBits;
        float fraction = (phase & ((1u << FractionBits) - 1)) * FractionScale;
        float a = Table[index];
        return a + (Table[index + 1] - a) * fraction;
    }

    private static float[] Build()
    {
        var table = new float[Size + 1];
        for (int i = 0; i <= Size; i++)
            table[i] = (float)Math.Sin(2 * Math.PI * i / Size);
        return table;
    }
}
