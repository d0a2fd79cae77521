namespace Hotline.Switch.Calls;

/// <summary>The beep before recording: 400 ms of 1 kHz at 8 kHz, written once as a WAV beside the recordings.</summary>
internal static class Beep
{
    private static readonly object s_gate = new();

    public static string File(string folder)
    {
        var path = Path.Combine(folder, "beep.wav");
        lock (s_gate)
        {
            if (System.IO.File.Exists(path)) return path;
            Directory.CreateDirectory(folder);
            const int rate = 8000;
            var samples = rate * 400 / 1000;
            using var w = new BinaryWriter(System.IO.File.Create(path));
            w.Write("RIFF"u8);
            w.Write(36 + samples * 2);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)1);      // PCM
            w.Write((short)1);      // mono
            w.Write(rate);
            w.Write(rate * 2);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(samples * 2);
            for (var i = 0; i < samples; i++)
            {
                // −10 dBFS with 10 ms ramps so the beep doesn't click.
                var ramp = Math.Min(1.0, Math.Min(i, samples - i) / 80.0);
                w.Write((short)(Math.Sin(2 * Math.PI * 1000 * i / rate) * 10362 * ramp));
            }
        }
        return path;
    }
}
