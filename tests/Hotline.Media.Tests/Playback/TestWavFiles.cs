using NAudio.Wave;

namespace Hotline.Media.Tests.Playback;

/// <summary>Writes WAV files in the formats prompts arrive in, with a known tone per channel.</summary>
public static class TestWavFiles
{
    /// <summary>
    /// <paramref name="seconds"/> of a sine per channel (<paramref name="frequencies"/>[c], amplitude
    /// <paramref name="amplitude"/> of full scale) in the given format.
    /// </summary>
    public static string Write(string path, int rate, int bits, bool ieeeFloat, double[] frequencies, double seconds, double amplitude = 0.5)
    {
        int channels = frequencies.Length;
        var format = ieeeFloat ? WaveFormat.CreateIeeeFloatWaveFormat(rate, channels) : new WaveFormat(rate, bits, channels);
        int frames = (int)Math.Round(seconds * rate);
        var samples = new float[frames * channels];
        for (int n = 0; n < frames; n++)
            for (int c = 0; c < channels; c++)
                samples[n * channels + c] = (float)(amplitude * Math.Sin(2 * Math.PI * frequencies[c] * n / rate));
        using var writer = new WaveFileWriter(path, format);
        if (bits == 8)
        {
            // 8-bit WAV is unsigned with 128 as zero.
            writer.Write(samples.Select(s => (byte)Math.Clamp(Math.Round(s * 127 + 128), 0, 255)).ToArray());
        }
        else
        {
            writer.WriteSamples(samples, 0, samples.Length);
        }
        return path;
    }
}
