using System.Buffers.Binary;

namespace Hotline.Ivr.Prompts;

/// <summary>
/// What a WAV file's header says: enough to accept an upload, show a duration and tell a recording with
/// sound from an empty one, without decoding. Reads RIFF chunks (fmt, data) as the format lays them out.
/// </summary>
public sealed record WavInfo(int FormatTag, int Channels, int SampleRate, int BitsPerSample, int BlockAlign, long DataBytes)
{
    public const int Pcm = 1, IeeeFloat = 3, ALaw = 6, MuLaw = 7, Extensible = 0xFFFE;

    public TimeSpan Duration => BlockAlign <= 0 || SampleRate <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(DataBytes / BlockAlign) / SampleRate);

    public static WavInfo? TryRead(string path, out string? error)
    {
        try
        {
            using var file = File.OpenRead(path);
            return TryRead(file, out error);
        }
        catch (IOException e)
        {
            error = e.Message;
            return null;
        }
    }

    public static WavInfo? TryRead(Stream stream, out string? error)
    {
        Span<byte> head = stackalloc byte[12];
        if (stream.ReadAtLeast(head, 12, throwOnEndOfStream: false) < 12 || !head[..4].SequenceEqual("RIFF"u8) || !head[8..12].SequenceEqual("WAVE"u8))
        {
            error = "not a WAV file (no RIFF/WAVE header)";
            return null;
        }
        WavInfo? format = null;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[16];
        while (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16 || stream.ReadAtLeast(fmt, 16, throwOnEndOfStream: false) < 16)
                {
                    error = "fmt chunk too short";
                    return null;
                }
                format = new WavInfo(BinaryPrimitives.ReadUInt16LittleEndian(fmt), BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]), BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]), 0);
                Skip(stream, size - 16 + (size & 1));
                continue;
            }
            if (chunk[..4].SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    error = "data chunk before fmt chunk";
                    return null;
                }
                // A recording cut short by a crash may claim more data than the file holds: trust the file.
                var available = stream.CanSeek ? stream.Length - stream.Position : size;
                error = Check(format);
                return error is null ? format with { DataBytes = Math.Min(size, available) } : null;
            }
            Skip(stream, size + (size & 1));
        }
        error = format is null ? "no fmt chunk" : "no data chunk";
        return null;
    }

    private static string? Check(WavInfo f)
    {
        if (f.FormatTag is not (Pcm or IeeeFloat or ALaw or MuLaw or Extensible)) return $"unsupported WAV format tag {f.FormatTag}";
        if (f.Channels is < 1 or > 8) return $"unsupported channel count {f.Channels}";
        if (f.SampleRate is < 8000 or > 192000) return $"unsupported sample rate {f.SampleRate}";
        if (f.BlockAlign < 1) return "block align is zero";
        return null;
    }

    private static void Skip(Stream stream, long count)
    {
        if (stream.CanSeek)
        {
            stream.Seek(count, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[Math.Min(count, 4096)];
        while (count > 0)
        {
            var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
            if (n == 0) return;
            count -= n;
        }
    }
}
