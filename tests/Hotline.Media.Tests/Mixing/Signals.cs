namespace Hotline.Media.Tests.Mixing;

/// <summary>Test signals: a sine generator that stays phase-continuous across frames.</summary>
public sealed class SineSource(double frequency, int sampleRate, double amplitude)
{
    private long _n;

    public void Next(Span<short> frame)
    {
        for (int i = 0; i < frame.Length; i++, _n++)
            frame[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * _n / sampleRate));
    }

    public short[] Next(int samples)
    {
        var frame = new short[samples];
        Next(frame);
        return frame;
    }

    public static short[] Generate(double frequency, int sampleRate, double amplitude, int samples)
        => new SineSource(frequency, sampleRate, amplitude).Next(samples);
}
