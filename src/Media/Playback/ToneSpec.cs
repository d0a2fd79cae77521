using System.Globalization;
using System.Text;

namespace Hotline.Media.Playback;

/// <summary>
/// One part of a tone cadence: up to two frequencies summed (0 = silence) for a duration, or
/// forever when <see cref="DurationMilliseconds"/> is 0.
/// </summary>
public readonly record struct ToneSegment(double Frequency1, double Frequency2, int DurationMilliseconds, bool PlayOnce)
{
    public bool IsSilence => Frequency1 == 0 && Frequency2 == 0;
}

/// <summary>
/// A tone in Asterisk's indications.conf notation: comma-separated parts
/// <c>[!]f1[+f2][/duration_ms]</c>, e.g. <c>"450/350,0/350"</c> (busy) or <c>"350+440"</c>
/// (North American dial tone). Frequency 0 is silence, a part without a duration lasts forever,
/// and parts marked <c>!</c> play once: the cadence repeats from the first unmarked part, and not
/// at all when every part is marked.
/// </summary>
public sealed class ToneSpec
{
    private ToneSpec(IReadOnlyList<ToneSegment> segments, int repeatFrom, string text)
    {
        Segments = segments;
        RepeatFrom = repeatFrom;
        _text = text;
    }

    private readonly string _text;

    public IReadOnlyList<ToneSegment> Segments { get; }

    /// <summary>Index the cadence loops back to, or −1 when it plays once and ends.</summary>
    public int RepeatFrom { get; }

    public static ToneSpec Parse(string spec) =>
        TryParse(spec, out var tone, out var error) ? tone : throw new FormatException($"Tone '{spec}': {error}");

    public static bool TryParse(string? spec, out ToneSpec tone, out string? error)
    {
        tone = null!;
        error = null;
        if (string.IsNullOrWhiteSpace(spec))
        {
            error = "empty";
            return false;
        }
        var segments = new List<ToneSegment>();
        int repeatFrom = -1;
        var parts = spec.Split(',', StringSplitOptions.TrimEntries);
        for (int index = 0; index < parts.Length; index++)
        {
            string raw = parts[index];
            var part = raw.AsSpan();
            bool once = part.StartsWith("!");
            if (once)
                part = part[1..];
            int duration = 0;
            int slash = part.IndexOf('/');
            if (slash >= 0)
            {
                if (!int.TryParse(part[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out duration) || duration <= 0)
                {
                    error = $"'{raw}': duration must be a positive number of milliseconds";
                    return false;
                }
                part = part[..slash];
            }
            if (part.Contains('*'))
            {
                error = $"'{raw}': modulated tones (f1*f2) are not supported";
                return false;
            }
            int plus = part.IndexOf('+');
            var f1Text = plus >= 0 ? part[..plus] : part;
            var f2Text = plus >= 0 ? part[(plus + 1)..] : "0";
            if (!double.TryParse(f1Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f1) || f1 < 0 || f1 > 20000 ||
                !double.TryParse(f2Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double f2) || f2 < 0 || f2 > 20000)
            {
                error = $"'{raw}': frequencies must be numbers from 0 to 20000 Hz";
                return false;
            }
            if (duration == 0 && index < parts.Length - 1)
            {
                error = $"'{raw}': only the last part may last forever";
                return false;
            }
            if (!once && repeatFrom < 0)
                repeatFrom = segments.Count;
            segments.Add(new ToneSegment(f1, f2, duration, once));
        }
        tone = new ToneSpec(segments, repeatFrom, spec.Trim());
        return true;
    }

    public override string ToString() => _text;

    /// <summary>Builds the notation back from segments (used by tests and config round trips).</summary>
    public static string Format(IEnumerable<ToneSegment> segments)
    {
        var sb = new StringBuilder();
        foreach (var s in segments)
        {
            if (sb.Length > 0)
                sb.Append(',');
            if (s.PlayOnce)
                sb.Append('!');
            sb.Append(s.Frequency1.ToString(CultureInfo.InvariantCulture));
            if (s.Frequency2 != 0)
                sb.Append('+').Append(s.Frequency2.ToString(CultureInfo.InvariantCulture));
            if (s.DurationMilliseconds > 0)
                sb.Append('/').Append(s.DurationMilliseconds);
        }
        return sb.ToString();
    }
}
