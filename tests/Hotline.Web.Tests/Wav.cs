namespace Hotline.Web.Tests;

internal static class Wav
{
    /// <summary>An 8 kHz mono 16-bit WAV of a 440 Hz tone, <paramref name="seconds"/> long.</summary>
    public static byte[] Tone(int seconds)
    {
        var samples = 8000 * seconds;
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write("RIFF"u8); w.Write(36 + samples * 2); w.Write("WAVE"u8);
        w.Write("fmt "u8); w.Write(16); w.Write((short)1); w.Write((short)1); w.Write(8000); w.Write(16000); w.Write((short)2); w.Write((short)16);
        w.Write("data"u8); w.Write(samples * 2);
        for (var i = 0; i < samples; i++) w.Write((short)(8000 * Math.Sin(2 * Math.PI * 440 * i / 8000)));
        w.Flush();
        return ms.ToArray();
    }
}
