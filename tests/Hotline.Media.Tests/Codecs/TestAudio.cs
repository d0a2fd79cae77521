using System.Runtime.InteropServices;

namespace Hotline.Media.Tests.Codecs;

/// <summary>Test signals: tones, espeak-ng speech, and raw s16le file I/O.</summary>
internal static class TestAudio
{
    private static readonly Lock s_speechLock = new();
    private static readonly Dictionary<int, short[]> s_speech = [];

    /// <summary>Speech text spoken by espeak-ng: a hotline greeting, about 6 seconds.</summary>
    public const string SpeechText =
        "Thank you for calling the citizen service hotline. Please describe your problem after the tone, " +
        "and an agent will record your request and reply within three working days.";

    public static short[] Sine(double frequency, int sampleRate, double seconds, double amplitude = 10000, double phase = 0)
    {
        var samples = new short[(int)Math.Round(sampleRate * seconds)];
        for (int i = 0; i < samples.Length; i++)
            samples[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * i / sampleRate + phase));
        return samples;
    }

    /// <summary>espeak-ng speech resampled by sox to <paramref name="sampleRate"/>, cached for the test run.</summary>
    public static short[] Speech(int sampleRate)
    {
        lock (s_speechLock)
        {
            if (s_speech.TryGetValue(sampleRate, out var cached))
                return cached;
            ExternalTool.Require("espeak-ng", "sox");
            var dir = ExternalTool.TempDirectory();
            var wav = Path.Combine(dir, "speech.wav");
            var raw = Path.Combine(dir, $"speech{sampleRate}.raw");
            ExternalTool.Run("espeak-ng", "-v", "en-us", "-s", "160", "-w", wav, SpeechText);
            // -D: no dither, so the reference is deterministic; gain so the speech peaks near -3 dBFS.
            ExternalTool.Run("sox", "-D", wav, "-t", "raw", "-r", sampleRate.ToString(), "-e", "signed", "-b", "16", "-c", "1", raw, "gain", "-n", "-3");
            var speech = ReadRaw(raw);
            s_speech[sampleRate] = speech;
            return speech;
        }
    }

    public static short[] ReadRaw(string path) => MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(path)).ToArray();

    public static void WriteRaw(string path, ReadOnlySpan<short> samples) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(samples).ToArray());

    /// <summary>Runs <paramref name="signal"/> through <paramref name="process"/> in frames of <paramref name="frame"/> samples.</summary>
    public static short[] InFrames(ReadOnlySpan<short> signal, int frame, Func<short[], short[]> process)
    {
        var output = new List<short>(signal.Length);
        for (int at = 0; at + frame <= signal.Length; at += frame)
            output.AddRange(process(signal.Slice(at, frame).ToArray()));
        return [.. output];
    }
}
