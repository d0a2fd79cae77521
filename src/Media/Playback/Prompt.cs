namespace Hotline.Media.Playback;

/// <summary>
/// A prompt converted once to mono PCM16 at one rate, shared read-only by every call that plays it.
/// </summary>
public sealed class Prompt
{
    private readonly short[] _samples;

    internal Prompt(string path, int sampleRate, short[] samples, FileStamp stamp, string sourceFormat)
    {
        Path = path;
        SampleRate = sampleRate;
        _samples = samples;
        Stamp = stamp;
        SourceFormat = sourceFormat;
    }

    /// <summary>Full path of the WAV file it was loaded from.</summary>
    public string Path { get; }

    public int SampleRate { get; }

    /// <summary>The audio: mono, 16-bit, at <see cref="SampleRate"/>.</summary>
    public ReadOnlySpan<short> Samples => _samples;

    /// <summary>The same buffer as memory, for callers that keep it past a stack frame.</summary>
    public ReadOnlyMemory<short> Memory => _samples;

    public int Length => _samples.Length;

    public TimeSpan Duration => TimeSpan.FromSeconds((double)_samples.Length / SampleRate);

    /// <summary>The file's format before conversion, e.g. "22050 Hz, 2 ch, 32-bit IeeeFloat" (for logs).</summary>
    public string SourceFormat { get; }

    internal FileStamp Stamp { get; }
}

/// <summary>What identifies a version of a file: a change of either means reload.</summary>
internal readonly record struct FileStamp(DateTime LastWriteUtc, long Length)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
            throw new FileNotFoundException("Prompt file not found.", path);
        return new FileStamp(info.LastWriteTimeUtc, info.Length);
    }
}
