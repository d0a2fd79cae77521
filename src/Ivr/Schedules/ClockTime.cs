using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hotline.Ivr.Schedules;

/// <summary>A time of day to the minute, "00:00" to "24:00" (so a day can end at midnight), written "HH:mm".</summary>
[JsonConverter(typeof(ClockTimeJsonConverter))]
public readonly record struct ClockTime : IComparable<ClockTime>
{
    public ClockTime(int minutes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minutes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minutes, 24 * 60);
        Minutes = minutes;
    }

    public int Minutes { get; }

    public static ClockTime Midnight => new(0);
    public static ClockTime EndOfDay => new(24 * 60);

    public static ClockTime Of(TimeOnly t) => new(t.Hour * 60 + t.Minute);

    public static bool TryParse(string? text, out ClockTime time)
    {
        time = default;
        if (text is null || text.Length is < 4 or > 5) return false;
        var colon = text.IndexOf(':');
        if (colon < 1 || text.Length - colon != 3) return false;
        if (!int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
        if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
        time = new ClockTime(h * 60 + m);
        return true;
    }

    public static ClockTime Parse(string text) =>
        TryParse(text, out var t) ? t : throw new FormatException($"'{text}' is not a time of day HH:mm (00:00 to 24:00)");

    public int CompareTo(ClockTime other) => Minutes.CompareTo(other.Minutes);
    public static bool operator <(ClockTime a, ClockTime b) => a.Minutes < b.Minutes;
    public static bool operator >(ClockTime a, ClockTime b) => a.Minutes > b.Minutes;
    public static bool operator <=(ClockTime a, ClockTime b) => a.Minutes <= b.Minutes;
    public static bool operator >=(ClockTime a, ClockTime b) => a.Minutes >= b.Minutes;

    public override string ToString() => $"{Minutes / 60:00}:{Minutes % 60:00}";
}

public sealed class ClockTimeJsonConverter : JsonConverter<ClockTime>
{
    public override ClockTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ClockTime.TryParse(reader.GetString(), out var t) ? t : throw new JsonException($"'{reader.GetString()}' is not a time of day HH:mm");

    public override void Write(Utf8JsonWriter writer, ClockTime value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
