namespace Hotline.Ivr.Schedules;

/// <summary>The period a schedule is in at an instant, with the local time and why (for logs and the panel).</summary>
public sealed record PeriodNow(Period Period, DateTime LocalTime, string Reason);

/// <summary>
/// Works out the period at an instant. Order of precedence: the night-service switch; a holiday (even on a
/// weekday); a make-up working day (even on a weekend), which takes the hours of the weekday it stands for;
/// otherwise the weekday's own hours, a day without hours being after hours all day. Within a day's hours
/// the lunch break is Lunch; before opening and from closing on it is AfterHours. Intervals are half-open:
/// at 12:00 sharp lunch has begun, at 13:30 sharp work has resumed.
/// </summary>
public static class PeriodCalculator
{
    public static PeriodNow At(Schedule schedule, HolidayCalendar? calendar, DateTimeOffset now)
    {
        Schedule.TryZone(schedule.TimeZone, out var zone);
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        if (schedule.NightService && (schedule.NightServiceUntil is null || now < schedule.NightServiceUntil))
            return new PeriodNow(Period.NightService, local, "night service switched on");
        var date = DateOnly.FromDateTime(local);
        var holiday = schedule.Holidays.FirstOrDefault(h => h.Contains(date)) ?? calendar?.Holidays.FirstOrDefault(h => h.Contains(date));
        if (holiday is not null) return new PeriodNow(Period.Holiday, local, $"holiday {holiday.Name}");
        var makeUp = schedule.MakeUpDays.FirstOrDefault(m => m.Date == date) ?? calendar?.MakeUpDays.FirstOrDefault(m => m.Date == date);
        var dayOfWeek = makeUp?.HoursOf ?? local.DayOfWeek;
        var why = makeUp is null ? local.DayOfWeek.ToString() : $"make-up working day {makeUp.Name} (hours of {makeUp.HoursOf})";
        if (!schedule.Week.TryGetValue(dayOfWeek, out var hours)) return new PeriodNow(Period.AfterHours, local, $"{why}: closed all day");
        var t = new ClockTime(local.Hour * 60 + local.Minute);
        if (t < hours.Open) return new PeriodNow(Period.AfterHours, local, $"{why}: before opening at {hours.Open}");
        if (t >= hours.Close) return new PeriodNow(Period.AfterHours, local, $"{why}: closed since {hours.Close}");
        if (hours.LunchStart is { } ls && hours.LunchEnd is { } le && t >= ls && t < le)
            return new PeriodNow(Period.Lunch, local, $"{why}: lunch {ls}-{le}");
        return new PeriodNow(Period.Work, local, $"{why}: open {hours.Open}-{hours.Close}");
    }
}
