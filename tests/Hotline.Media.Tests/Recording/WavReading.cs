using NAudio.Wave;

namespace Hotline.Media.Tests.Recording;

/// <summary>Reads a PCM16 WAV back (even while it is still being written) as one array per channel.</summary>
public static class WavReading
{
    public static (WaveFormat Format, short[][] Channels) Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new WaveFileReader(stream);
        var format = reader.WaveFormat;
        var bytes = new byte[reader.Length];
        reader.ReadExactly(bytes);
        var all = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, all, 0, all.Length * 2);
        var channels = new short[format.Channels][];
        for (int c = 0; c < format.Channels; c++)
            channels[c] = all.Where((_, i) => i % format.Channels == c).ToArray();
        return (format, channels);
    }

    /// <summary>Declared RIFF size (offset 4) and data size (offset 40 in a 44-byte header).</summary>
    public static (uint Riff, uint Data, long FileLength) HeaderSizes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[44];
        stream.ReadExactly(header);
        return (BitConverter.ToUInt32(header, 4), BitConverter.ToUInt32(header, 40), stream.Length);
    }
}
