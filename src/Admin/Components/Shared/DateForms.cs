using System.Globalization;
using Hotline.Ivr.Schedules;

namespace Hotline.Admin.Components.Shared;

/// <summary>
/// Editable rows of the schedule and calendar forms. Dates and times stay text as the browser's date and time
/// inputs give them ("2030-10-01", "08:30"), so a bad value is reported by field rather than lost.
/// </summary>
public sealed class HolidayRow
{
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Name { get; set; }

    public static HolidayRow Of(Holiday h) => new() { From = DateForms.Text(h.From), To = DateForms.Text(h.To), Name = h.Name };
}

public sealed class MakeUpRow
{
    public string? Date { get; set; }
    public string? Name { get; set; }
    public DayOfWeek HoursOf { get; set; } = DayOfWeek.Monday;

    public static MakeUpRow Of(MakeUpDay m) => new() { Date = DateForms.Text(m.Date), Name = m.Name, HoursOf = m.HoursOf };
}

public sealed class DayRow
{
    public DayOfWeek Day { get; init; }
    public bool Open { get; set; }
    public string? From { get; set; } = "08:30";
    public string? To { get; set; } = "17:30";
    public string? LunchStart { get; set; }
    public string? LunchEnd { get; set; }
}

public static class DateForms
{
    /// <summary>Monday first, as a Chinese calendar shows the week.</summary>
    public static readonly DayOfWeek[] Week = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static string Text(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static List<Holiday> Holidays(IEnumerable<HolidayRow> rows, List<string> problems)
    {
        var list = new List<Holiday>();
        var i = 0;
        foreach (var r in rows)
        {
            var from = Date(r.From, $"holidays[{i}]: from", problems);
            var to = string.IsNullOrWhiteSpace(r.To) ? from : Date(r.To, $"holidays[{i}]: to", problems);
            if (from is { } f && to is { } t) list.Add(new Holiday(f, t, r.Name?.Trim() ?? ""));
            i++;
        }
        return list;
    }

    public static List<MakeUpDay> MakeUps(IEnumerable<MakeUpRow> rows, List<string> problems)
    {
        var list = new List<MakeUpDay>();
        var i = 0;
        foreach (var r in rows)
        {
            if (Date(r.Date, $"makeUpDays[{i}]: date", problems) is { } d) list.Add(new MakeUpDay(d, r.Name?.Trim() ?? "", r.HoursOf));
            i++;
        }
        return list;
    }

    public static Dictionary<DayOfWeek, DayHours> Hours(IEnumerable<DayRow> rows, List<string> problems)
    {
        var week = new Dictionary<DayOfWeek, DayHours>();
        foreach (var r in rows.Where(r => r.Open))
        {
            var where = $"week.{r.Day.ToString().ToLowerInvariant()}";
            var open = Time(r.From, where, problems);
            var close = Time(r.To, where, problems);
            var lunchStart = string.IsNullOrWhiteSpace(r.LunchStart) ? null : Time(r.LunchStart, where, problems);
            var lunchEnd = string.IsNullOrWhiteSpace(r.LunchEnd) ? null : Time(r.LunchEnd, where, problems);
            if (open is { } o && close is { } c) week[r.Day] = new DayHours(o, c, lunchStart, lunchEnd);
        }
        return week;
    }

    public static List<DayRow> Rows(IReadOnlyDictionary<DayOfWeek, DayHours> week) => Week.Select(d => week.TryGetValue(d, out var h)
        ? new DayRow { Day = d, Open = true, From = h.Open.ToString(), To = h.Close.ToString(), LunchStart = h.LunchStart?.ToString(), LunchEnd = h.LunchEnd?.ToString() }
        : new DayRow { Day = d }).ToList();

    private static DateOnly? Date(string? text, string where, List<string> problems)
    {
        if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return d;
        problems.Add($"{where} '{text}' is not a date yyyy-MM-dd");
        return null;
    }

    private static ClockTime? Time(string? text, string where, List<string> problems)
    {
        if (ClockTime.TryParse(text?.Trim(), out var t)) return t;
        problems.Add($"{where}: '{text}' is not a time of day HH:mm");
        return null;
    }
}
