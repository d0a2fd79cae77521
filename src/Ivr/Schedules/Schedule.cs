namespace Hotline.Ivr.Schedules;

/// <summary>The periods a hotline's day is divided into; each is routed to its own destination.</summary>
public enum Period { Work, Lunch, AfterHours, Holiday, NightService }

/// <summary>One day's hours: open from <see cref="Open"/> to <see cref="Close"/>, with an optional lunch break inside.</summary>
public sealed record DayHours(ClockTime Open, ClockTime Close, ClockTime? LunchStart = null, ClockTime? LunchEnd = null)
{
    public IEnumerable<string> Problems(string where)
    {
        if (Open >= Close) yield return $"{where}: opens at {Open} but closes at {Close}";
        if (LunchStart is null != LunchEnd is null) yield return $"{where}: a lunch break needs both lunchStart and lunchEnd";
        if (LunchStart is { } ls && LunchEnd is { } le && (ls >= le || ls < Open || le > Close))
            yield return $"{where}: lunch {ls}-{le} must be a span inside {Open}-{Close}";
    }
}

/// <summary>Days off, inclusive, e.g. National Day 2030-10-01 to 2030-10-07.</summary>
public sealed record Holiday(DateOnly From, DateOnly To, string Name)
{
    public bool Contains(DateOnly d) => d >= From && d <= To;
}

/// <summary>
/// A weekend day that is a working day (调休: China moves weekend days to join holidays into a week off,
/// and makes up for them on a Saturday or Sunday). It keeps the hours of <see cref="HoursOf"/>.
/// </summary>
public sealed record MakeUpDay(DateOnly Date, string Name, DayOfWeek HoursOf = DayOfWeek.Monday);

/// <summary>A holiday calendar shared by schedules: the State Council's yearly notice, or a region's own.</summary>
public sealed record HolidayCalendar
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];
    public IReadOnlyList<MakeUpDay> MakeUpDays { get; init; } = [];
    public string Source { get; init; } = "admin";
}

/// <summary>
/// When a hotline is staffed: hours per weekday (a day left out is closed), a holiday calendar plus the
/// schedule's own holidays and make-up days, the time zone they are read in, and the manual night-service
/// switch (a supervisor sends everything to night service, e.g. when agents must leave for an emergency).
/// </summary>
public sealed record Schedule
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string TimeZone { get; init; } = DefaultTimeZone;
    public IReadOnlyDictionary<DayOfWeek, DayHours> Week { get; init; } = new Dictionary<DayOfWeek, DayHours>();
    public string? Calendar { get; init; }
    public IReadOnlyList<Holiday> Holidays { get; init; } = [];
    public IReadOnlyList<MakeUpDay> MakeUpDays { get; init; } = [];
    public bool NightService { get; init; }
    /// <summary>When set, the night-service switch turns itself off at this time.</summary>
    public DateTimeOffset? NightServiceUntil { get; init; }
    public string Source { get; init; } = "admin";

    /// <summary>What is wrong with the schedule, each naming the field; empty when it can be saved.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!Hotline.Ivr.Flows.FlowFields.NodeId().IsMatch(Id)) problems.Add($"id '{Id}' may have letters, digits, _ . - and at most 64 characters");
        if (!TryZone(TimeZone, out _)) problems.Add($"timeZone '{TimeZone}' is not a known time zone (an IANA name such as Asia/Shanghai)");
        foreach (var (day, hours) in Week) problems.AddRange(hours.Problems($"week.{day.ToString().ToLowerInvariant()}"));
        for (var i = 0; i < Holidays.Count; i++)
        {
            if (Holidays[i].From > Holidays[i].To) problems.Add($"holidays[{i}]: from {Holidays[i].From:yyyy-MM-dd} is after to {Holidays[i].To:yyyy-MM-dd}");
        }
        for (var i = 0; i < MakeUpDays.Count; i++)
        {
            if (!Week.ContainsKey(MakeUpDays[i].HoursOf)) problems.Add($"makeUpDays[{i}]: hoursOf {MakeUpDays[i].HoursOf} has no hours in week");
        }
        return problems;
    }

    public static bool TryZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }
}
