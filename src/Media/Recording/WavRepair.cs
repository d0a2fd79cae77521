using System.Buffers.Binary;
using System.Text;

namespace Hotline.Media.Recording;

/// <summary>
/// Start-up repair of recordings left by a crash: a writer that dies between header updates
/// leaves RIFF/data sizes smaller than the audio on disk (or 0, or 0xFFFFFFFF from streaming
/// writers), possibly with a torn last sample frame. This rewrites the sizes to cover the whole
/// sample frames present and truncates the partial one. Good files and non-WAV files are left alone.
/// </summary>
public static class WavRepair
{
    private const int RiffHeaderBytes = 12;
    private const int ChunkHeaderBytes = 8;

    /// <summary>Checks every *.wav under <paramref name="root"/> (recursively) and reports each.</summary>
    public static IReadOnlyList<WavRepairResult> RepairTree(string root)
    {
        var results = new List<WavRepairResult>();
        if (!Directory.Exists(root))
            return results;
        var options = new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(root, "*.wav", options).Order(StringComparer.Ordinal))
            results.Add(RepairFile(file));
        return results;
    }

    /// <summary>Checks one file and repairs it in place if its sizes don't match its length.</summary>
    public static WavRepairResult RepairFile(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            return Repair(file, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new WavRepairResult(path, WavRepairOutcome.Failed, e.Message);
        }
    }

    private static WavRepairResult Repair(FileStream file, string path)
    {
        long length = file.Length;
        Span<byte> header = stackalloc byte[RiffHeaderBytes];
        if (length < RiffHeaderBytes || file.ReadAtLeast(header, RiffHeaderBytes, throwOnEndOfStream: false) < RiffHeaderBytes)
            return new WavRepairResult(path, WavRepairOutcome.NotWav, $"only {length} bytes: no RIFF header");
        if (header[..4].SequenceEqual("RF64"u8) && header[8..12].SequenceEqual("WAVE"u8))
            return new WavRepairResult(path, WavRepairOutcome.Unsupported, "RF64 file: sizes live in the ds64 chunk");
        if (!header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
            return new WavRepairResult(path, WavRepairOutcome.NotWav, $"starts with '{Printable(header[..4])}', not RIFF....WAVE");
        uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);

        // Walk the chunks up to 'data' (RIFF: id, little-endian size, body padded to even length).
        int blockAlign = 0;
        long dataStart = -1;
        uint declared = 0;
        long position = RiffHeaderBytes;
        Span<byte> chunk = stackalloc byte[ChunkHeaderBytes + 16];
        while (position + ChunkHeaderBytes <= length)
        {
            file.Position = position;
            file.ReadExactly(chunk[..ChunkHeaderBytes]);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (chunk[..4].SequenceEqual("data"u8))
            {
                dataStart = position + ChunkHeaderBytes;
                declared = size;
                break;
            }
            if (chunk[..4].SequenceEqual("fmt "u8) && size >= 14 && position + ChunkHeaderBytes + 14 <= length)
            {
                file.ReadExactly(chunk.Slice(ChunkHeaderBytes, 14));
                // WAVEFORMAT: wFormatTag, nChannels, nSamplesPerSec, nAvgBytesPerSec, nBlockAlign.
                blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(chunk[(ChunkHeaderBytes + 12)..]);
            }
            position += ChunkHeaderBytes + size + (size & 1);
        }
        if (blockAlign == 0)
            return new WavRepairResult(path, WavRepairOutcome.NotWav, "no usable fmt chunk before the data");
        if (dataStart < 0)
            return new WavRepairResult(path, WavRepairOutcome.NotWav, "no data chunk");

        long available = length - dataStart;
        long declaredEnd = dataStart + declared + (declared & 1);
        bool sizeIsPlausible = declared != uint.MaxValue && declaredEnd <= length;
        if (sizeIsPlausible && (declaredEnd == length || ChunksFill(file, declaredEnd, length)))
        {
            // The data chunk is right (possibly followed by well-formed chunks such as LIST).
            if (riffSize == length - 8)
                return new WavRepairResult(path, WavRepairOutcome.Intact, "sizes match the file", declared, declared);
            WriteUInt32(file, 4, (uint)(length - 8));
            return new WavRepairResult(path, WavRepairOutcome.Repaired, $"RIFF size {riffSize} → {length - 8}", declared, declared);
        }

        // The audio runs to the end of the file: keep every whole sample frame, cut a torn one.
        long whole = available / blockAlign * blockAlign;
        if (whole > uint.MaxValue - dataStart)
            return new WavRepairResult(path, WavRepairOutcome.Unsupported, "more than 4 GB of audio: needs RF64", declared, available);
        long cut = available - whole;
        long newLength = dataStart + whole;
        if ((whole & 1) == 1)
            newLength++; // RIFF pads odd chunks with one byte.
        file.SetLength(newLength);
        if (newLength > dataStart + whole)
            WriteByte(file, dataStart + whole, 0);
        WriteUInt32(file, dataStart - 4, (uint)whole);
        WriteUInt32(file, 4, (uint)(newLength - 8));
        file.Flush(flushToDisk: true);
        string torn = cut > 0 ? $", cut {cut} byte(s) of a partial sample frame" : "";
        return new WavRepairResult(path, WavRepairOutcome.Repaired, $"data size {declared} → {whole}{torn}", declared, whole);
    }

    /// <summary>True if the bytes from <paramref name="start"/> to <paramref name="end"/> are well-formed chunks ending exactly at the end.</summary>
    private static bool ChunksFill(FileStream file, long start, long end)
    {
        Span<byte> h = stackalloc byte[ChunkHeaderBytes];
        long position = start;
        while (position + ChunkHeaderBytes <= end)
        {
            file.Position = position;
            file.ReadExactly(h);
            foreach (byte b in h[..4])
            {
                if (b is < 0x20 or > 0x7E)
                    return false;
            }
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(h[4..]);
            position += ChunkHeaderBytes + size + (size & 1);
        }
        return position == end || position == end + 1;
    }

    private static void WriteUInt32(FileStream file, long offset, uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, value);
        file.Position = offset;
        file.Write(b);
    }

    private static void WriteByte(FileStream file, long offset, byte value)
    {
        file.Position = offset;
        file.WriteByte(value);
    }

    private static string Printable(ReadOnlySpan<byte> id)
    {
        var sb = new StringBuilder(4);
        foreach (byte b in id)
            sb.Append(b is >= 0x20 and <= 0x7E ? (char)b : '.');
        return sb.ToString();
    }
}
