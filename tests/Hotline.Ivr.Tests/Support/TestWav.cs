using System.Buffers.Binary;

namespace Hotline.Ivr.Tests.Support;

/// <summary>Small 8 kHz mono 16-bit WAVs for tests: a tone stands in for a caller's voice.</summary>
internal static class TestWav
{
    public static void WriteTone(string path, double seconds, double hz = 440)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var samples = (int)(seconds * 8000);
        var data = new byte[samples * 2];
        for (var i = 0; i < samples; i++)
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(i * 2), (short)(8000 * Math.Sin(2 * Math.PI * hz * i / 8000)));
        File.WriteAllBytes(path, Wav(data));
    }

    public static byte[] Wav(ReadOnlySpan<byte> pcm, int rate = 8000)
    {
        var file = new byte[44 + pcm.Length];
        var s = file.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], (uint)(36 + pcm.Length));
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(s[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(s[24..], (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(s[28..], (uint)(rate * 2));
        BinaryPrimitives.WriteUInt16LittleEndian(s[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(s[34..], 16);
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(s[40..], (uint)pcm.Length);
        pcm.CopyTo(s[44..]);
        return file;
    }
}
