using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// A PCM WAV file as the peers and the switch write it (16-bit, any rate, any channel count). The
/// data chunk is read to the end of the file when its declared size is 0 or too large, so a file
/// whose writer has not fixed up the header yet still reads; <see cref="HeaderComplete"/> tells.
/// </summary>
public sealed class WavFile
{
    private readonly short[] _samples;

    private WavFile(string path, int sampleRate, int channels, short[] samples, bool headerComplete)
    {
        Path = path;
        SampleRate = sampleRate;
        Channels = channels;
        _samples = samples;
        HeaderComplete = headerComplete;
    }

    public string Path { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    /// <summary>The RIFF and data chunk sizes match the file: the writer closed it properly.</summary>
    public bool HeaderComplete { get; }
    public int Frames => _samples.Length / Channels;
    public double Seconds => (double)Frames / SampleRate;

    public static WavFile Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 12 || Encoding.ASCII.GetString(bytes, 0, 4) != "RIFF" || Encoding.ASCII.GetString(bytes, 8, 4) != "WAVE")
            throw new InvalidDataException($"{path} is not a RIFF/WAVE file ({bytes.Length} bytes)");
        var riffComplete = BitConverter.ToUInt32(bytes, 4) == bytes.Length - 8;
        int rate = 0, channels = 0, bits = 0, format = 0;
        var offset = 12;
        while (offset + 8 <= bytes.Length)
        {
            var id = Encoding.ASCII.GetString(bytes, offset, 4);
            var size = BitConverter.ToUInt32(bytes, offset + 4);
            var body = offset + 8;
            if (id == "fmt ")
            {
                format = BitConverter.ToUInt16(bytes, body);
                channels = BitConverter.ToUInt16(bytes, body + 2);
                rate = BitConverter.ToInt32(bytes, body + 4);
                bits = BitConverter.ToUInt16(bytes, body + 14);
                // WAVE_FORMAT_EXTENSIBLE carries the real format in its sub-format GUID's first two bytes.
                if (format == 0xFFFE && size >= 26) format = BitConverter.ToUInt16(bytes, body + 24);
            }
            else if (id == "data")
            {
                if (format != 1 || bits != 16 || channels < 1 || rate < 1)
                    throw new InvalidDataException($"{path}: format {format}, {bits} bits, {channels} channels, {rate} Hz; want 16-bit PCM");
                var available = bytes.Length - body;
                var length = size == 0 || size > available ? available : (int)size;
                length -= length % (2 * channels);
                var samples = new short[length / 2];
                Buffer.BlockCopy(bytes, body, samples, 0, length);
                return new WavFile(path, rate, channels, samples, riffComplete && size == available);
            }
            offset = body + (int)size + (int)(size & 1);
        }
        throw new InvalidDataException($"{path} has no data chunk");
    }

    /// <summary>Channel <paramref name="channel"/> (0 = left) as samples scaled to ±1.</summary>
    public double[] Channel(int channel)
    {
        var x = new double[Frames];
        for (var i = 0; i < x.Length; i++) x[i] = _samples[i * Channels + channel] / 32768.0;
        return x;
    }

    /// <summary>Waits until the file exists and its writer has closed it (the header matches its length).</summary>
    public static async Task<WavFile?> WaitCompleteAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (File.Exists(path))
            {
                try
                {
                    var wav = Read(path);
                    if (wav.HeaderComplete) return wav;
                }
                catch (InvalidDataException)
                {
                    // still being written
                }
                catch (IOException)
                {
                }
            }
            if (DateTime.UtcNow >= deadline) return File.Exists(path) ? Read(path) : null;
            await Task.Delay(100);
        }
    }
}

/// <summary>One window of a recording: when, how loud, and which tone dominates it.</summary>
public readonly record struct ToneWindow(double Start, double Rms, double Frequency, double Purity)
{
    public bool Silent => Rms < ToneAnalysis.SilenceRms;

    /// <summary>
    /// The window is a clear tone within 1.5 % of <paramref name="hz"/> (tight enough to tell a 440 Hz
    /// phone from the switch's 450 Hz ringback and music-on-hold tones).
    /// </summary>
    public bool Is(double hz) => !Silent && Math.Abs(Frequency - hz) <= hz * 0.015 && Purity >= 0.5;

    public override string ToString() =>
        Silent ? $"{Start:0.00}s silent" : $"{Start:0.00}s {Frequency:0}Hz rms {Rms:0.000} purity {Purity:0.00}";
}

/// <summary>
/// What a recording holds, window by window: RMS and the dominant frequency found by Goertzel's
/// algorithm over 100–3500 Hz in 5 Hz steps (a pure tone's bin stands far above the others; the
/// purity is that bin's share of the window's energy, 1 for a clean sine). Independent of the
/// switch's own DSP code on purpose.
/// </summary>
public static class ToneAnalysis
{
    public const double SilenceRms = 0.01;

    public static IReadOnlyList<ToneWindow> Windows(WavFile wav, int channel = 0, double windowSeconds = 0.25)
    {
        var x = wav.Channel(channel);
        var n = (int)(wav.SampleRate * windowSeconds);
        var windows = new List<ToneWindow>();
        for (var start = 0; start + n <= x.Length; start += n)
            windows.Add(Analyse(x.AsSpan(start, n), wav.SampleRate, (double)start / wav.SampleRate));
        return windows;
    }

    private static ToneWindow Analyse(ReadOnlySpan<double> x, int rate, double start)
    {
        var energy = 0.0;
        foreach (var v in x) energy += v * v;
        var rms = Math.Sqrt(energy / x.Length);
        if (rms < SilenceRms) return new ToneWindow(start, rms, 0, 0);
        var (best, power) = (0.0, 0.0);
        for (var f = 100.0; f <= 3500.0; f += 5.0)
        {
            var p = Goertzel(x, rate, f);
            if (p > power) (best, power) = (f, p);
        }
        // |X(f)|² of a sine of amplitude A at a bin centre is (A·N/2)², its energy A²·N/2: purity = 2|X|²/(N·energy).
        var purity = Math.Min(1.0, 2 * power / (x.Length * energy));
        return new ToneWindow(start, rms, best, purity);
    }

    private static double Goertzel(ReadOnlySpan<double> x, int rate, double frequency)
    {
        var k = 2 * Math.Cos(2 * Math.PI * frequency / rate);
        double s1 = 0, s2 = 0;
        foreach (var v in x)
        {
            var s0 = v + k * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - k * s1 * s2;
    }

    /// <summary>Windows as text, one run of equal content per line, for failure messages.</summary>
    public static string Describe(IReadOnlyList<ToneWindow> windows)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < windows.Count)
        {
            var j = i;
            static string Key(ToneWindow w) => w.Silent ? "silent" : w.Purity < 0.5 ? "mixed" : $"{Math.Round(w.Frequency / 10) * 10:0}Hz";
            while (j + 1 < windows.Count && Key(windows[j + 1]) == Key(windows[i])) j++;
            text.Append(CultureInfo.InvariantCulture, $"  {windows[i].Start:0.00}-{windows[j].Start + (windows.Count > 1 ? windows[1].Start - windows[0].Start : 0):0.00}s {Key(windows[i])}");
            if (!windows[i].Silent) text.Append(CultureInfo.InvariantCulture, $" (rms {windows[i].Rms:0.00})");
            text.Append('\n');
            i = j + 1;
        }
        return text.ToString();
    }

    /// <summary>
    /// The most windows carrying <paramref name="hz"/> within one stretch of the recording that no
    /// silence, no other clear tone and no two unclear windows in a row interrupt. A single unclear
    /// ("mixed") window between two of the tone is bridged: on a loaded machine a late packet or a
    /// stalled 20 ms tick puts a discontinuity into one 250 ms window, which then no longer reads as
    /// one clean sine although nothing else was heard. The bridged window itself does not count.
    /// </summary>
    public static int LongestStretch(IReadOnlyList<ToneWindow> windows, double hz)
    {
        int best = 0, current = 0;
        var bridging = false;
        foreach (var w in windows)
        {
            if (w.Is(hz))
            {
                current++;
                bridging = false;
                best = Math.Max(best, current);
            }
            else if (!w.Silent && w.Purity < 0.5 && !bridging && current > 0)
            {
                bridging = true; // maybe a glitch: the stretch goes on if the tone is back in the next window
            }
            else
            {
                current = 0;
                bridging = false;
            }
        }
        return best;
    }

    /// <summary>How many windows carry <paramref name="hz"/>, and the longest run of them in a row.</summary>
    public static (int Count, int LongestRun) Count(IReadOnlyList<ToneWindow> windows, double hz)
    {
        int count = 0, run = 0, longest = 0;
        foreach (var w in windows)
        {
            if (w.Is(hz))
            {
                count++;
                longest = Math.Max(longest, ++run);
            }
            else run = 0;
        }
        return (count, longest);
    }
}

/// <summary>SoX as an independent second opinion: <c>sox FILE -n remix N stat</c>.</summary>
public static partial class Sox
{
    public sealed record Stat(double Seconds, double Rms, double RoughFrequency);

    /// <summary>
    /// Length, RMS amplitude and "Rough frequency" (a zero-crossing estimate: 1000 Hz reads about 975)
    /// of channel <paramref name="channel"/> (1-based, as sox counts) of <paramref name="path"/>,
    /// optionally only <paramref name="trimSeconds"/> (start, length) of it.
    /// </summary>
    public static async Task<Stat> StatAsync(InteropTest test, string path, int channel = 1, (double Start, double Length)? trimSeconds = null)
    {
        var args = new List<string> { path, "-n", "remix", channel.ToString(CultureInfo.InvariantCulture) };
        if (trimSeconds is { } t) args.AddRange(["trim", t.Start.ToString("0.###", CultureInfo.InvariantCulture), t.Length.ToString("0.###", CultureInfo.InvariantCulture)]);
        args.Add("stat");
        var (process, code) = await test.RunPeerAsync("sox", args, "sox-" + System.IO.Path.GetFileNameWithoutExtension(path) + "-" + channel, TimeSpan.FromSeconds(30));
        var output = process.Output;
        Assert.True(code == 0, $"sox stat failed ({code}): {output}");
        double Field(Regex pattern) =>
            pattern.Match(output) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        return new Stat(Field(LengthLine()), Field(RmsLine()), Field(FrequencyLine()));
    }

    [GeneratedRegex(@"Length \(seconds\):\s+([0-9.]+)")]
    private static partial Regex LengthLine();

    [GeneratedRegex(@"RMS\s+amplitude:\s+([0-9.]+)")]
    private static partial Regex RmsLine();

    [GeneratedRegex(@"Rough\s+frequency:\s+([0-9.]+)")]
    private static partial Regex FrequencyLine();
}
