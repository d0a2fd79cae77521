using Hotline.Ivr.Schedules;
using Hotline.Ivr.Storage;
using Hotline.Ivr.Tests.Support;

namespace Hotline.Ivr.Tests.Schedules;

/// <summary>Periods across their edges, on fake time, in Beijing and in a zone with daylight saving.</summary>
public sealed class PeriodTests : IDisposable
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly IvrTestKit _kit = new();
    private PeriodNow? _last;

    public void Dispose() => _kit.Dispose();

    /// <summary>A 12345 centre: weekdays 08:30–17:30 with lunch 12:00–13:30; Saturday mornings; 2030's National Day week.</summary>
    private static Schedule Hotline(string zone = "Asia/Shanghai")
    {
        var weekday = new DayHours(ClockTime.Parse("08:30"), ClockTime.Parse("17:30"), ClockTime.Parse("12:00"), ClockTime.Parse("13:30"));
        return new Schedule
        {
            Id = "12345", TimeZone = zone, Calendar = "cn-2030",
            Week = new Dictionary<DayOfWeek, DayHours>
            {
                [DayOfWeek.Monday] = weekday, [DayOfWeek.Tuesday] = weekday, [DayOfWeek.Wednesday] = weekday,
                [DayOfWeek.Thursday] = weekday, [DayOfWeek.Friday] = weekday with { Close = ClockTime.Parse("18:00") },
            },
        };
    }

    /// <summary>National Day 2030: Oct 1 (Tue)–7 (Mon) off; Sunday Sep 29 and Saturday Oct 12 are make-up working days.</summary>
    private static HolidayCalendar China2030 => new()
    {
        Id = "cn-2030",
        Holidays = [new Holiday(new DateOnly(2030, 10, 1), new DateOnly(2030, 10, 7), "国庆节"), new Holiday(new DateOnly(2030, 6, 3), new DateOnly(2030, 6, 3), "端午节")],
        MakeUpDays = [new MakeUpDay(new DateOnly(2030, 9, 29), "国庆节调休"), new MakeUpDay(new DateOnly(2030, 10, 12), "国庆节调休", DayOfWeek.Friday)],
    };

    private Period At(int y, int mo, int d, int h, int mi, int s = 0, TimeSpan? offset = null)
    {
        return Now(new DateTimeOffset(y, mo, d, h, mi, s, offset ?? Beijing)).Period;
    }

    /// <summary>The period as the service sees it with its clock (a fresh fake clock: the tests jump back and forth) at <paramref name="instant"/>.</summary>
    private PeriodNow Now(DateTimeOffset instant)
    {
        _last = new ScheduleService(_kit.Store, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(instant)).Current("12345")!;
        return _last;
    }

    private void Save(Schedule schedule)
    {
        _kit.Schedules.SaveCalendar(China2030);
        _kit.Schedules.Save(schedule);
    }

    [Theory]
    [InlineData(8, 29, 59, Period.AfterHours)]
    [InlineData(8, 30, 0, Period.Work)]
    [InlineData(11, 59, 59, Period.Work)]
    [InlineData(12, 0, 0, Period.Lunch)]
    [InlineData(13, 29, 59, Period.Lunch)]
    [InlineData(13, 30, 0, Period.Work)]
    [InlineData(17, 29, 59, Period.Work)]
    [InlineData(17, 30, 0, Period.AfterHours)]
    [InlineData(23, 59, 59, Period.AfterHours)]
    [InlineData(0, 0, 0, Period.AfterHours)]
    public void A_weekday_passes_through_its_periods(int h, int m, int s, Period expected)
    {
        Save(Hotline());
        Assert.Equal(expected, At(2030, 5, 7, h, m, s)); // a Tuesday
    }

    [Fact]
    public void Friday_closes_at_18_00_not_17_30()
    {
        Save(Hotline());
        Assert.Equal(Period.Work, At(2030, 5, 10, 17, 45));
        Assert.Equal(Period.Work, At(2030, 5, 10, 17, 59, 59));
        Assert.Equal(Period.AfterHours, At(2030, 5, 10, 18, 0));
    }

    [Fact]
    public void Midnight_turns_Friday_night_into_a_closed_Saturday()
    {
        Save(Hotline());
        Assert.Equal(Period.AfterHours, At(2030, 5, 10, 23, 59, 59));
        Assert.Equal(DayOfWeek.Friday, _last!.LocalTime.DayOfWeek);
        Assert.Equal(Period.AfterHours, At(2030, 5, 11, 10, 0));
        Assert.Contains("closed all day", _last!.Reason);
    }

    [Fact]
    public void A_holiday_Monday_is_a_holiday_all_day()
    {
        Save(Hotline());
        Assert.Equal(Period.Holiday, At(2030, 6, 3, 10, 0)); // Monday, Dragon Boat Festival
        Assert.Equal(Period.Holiday, At(2030, 6, 3, 12, 30));
        Assert.Equal(Period.Holiday, At(2030, 6, 3, 0, 0));
        Assert.Equal(Period.Work, At(2030, 6, 4, 8, 30)); // Tuesday back to work
        Assert.Contains("端午节", _kit.Schedules.At("12345", new DateTimeOffset(2030, 6, 3, 10, 0, 0, Beijing))!.Reason);
    }

    [Fact]
    public void A_make_up_Sunday_works_with_Monday_hours()
    {
        Save(Hotline());
        Assert.Equal(Period.AfterHours, At(2030, 9, 29, 8, 29));
        Assert.Equal(Period.Work, At(2030, 9, 29, 8, 30));
        Assert.Equal(Period.Lunch, At(2030, 9, 29, 12, 0));
        Assert.Equal(Period.AfterHours, At(2030, 9, 29, 17, 30));
        Assert.Equal(Period.AfterHours, At(2030, 9, 22, 10, 0)); // an ordinary Sunday
    }

    [Fact]
    public void A_make_up_Saturday_can_take_Friday_hours()
    {
        Save(Hotline());
        Assert.Equal(Period.Work, At(2030, 10, 12, 17, 45));
        Assert.Equal(Period.AfterHours, At(2030, 10, 12, 18, 0));
    }

    [Fact]
    public void The_whole_National_Day_week_is_holiday_even_on_weekdays()
    {
        Save(Hotline());
        for (var day = 1; day <= 7; day++) Assert.Equal(Period.Holiday, At(2030, 10, day, 10, 0));
        Assert.Equal(Period.Work, At(2030, 10, 8, 10, 0));
    }

    [Fact]
    public void Night_service_overrides_everything_until_switched_off_or_its_time_is_up()
    {
        Save(Hotline());
        Assert.Equal(Period.Work, At(2030, 5, 7, 10, 0));
        _kit.Schedules.SetNightService("12345", true, until: new DateTimeOffset(2030, 5, 7, 11, 0, 0, Beijing));
        Assert.Equal(Period.NightService, At(2030, 5, 7, 10, 0));
        Assert.Equal(Period.NightService, At(2030, 5, 7, 10, 59, 59));
        Assert.Equal(Period.Work, At(2030, 5, 7, 11, 0));
        _kit.Schedules.SetNightService("12345", true);
        Assert.Equal(Period.NightService, At(2030, 10, 1, 10, 0)); // beats a holiday too
        _kit.Schedules.SetNightService("12345", false);
        Assert.Equal(Period.Holiday, At(2030, 10, 1, 10, 0));
    }

    [Fact]
    public void The_schedule_is_read_in_its_own_zone_whatever_the_instant()
    {
        Save(Hotline());
        // 00:30 UTC is 08:30 in Beijing.
        Assert.Equal(Period.AfterHours, At(2030, 5, 7, 0, 29, 59, TimeSpan.Zero));
        Assert.Equal(Period.Work, At(2030, 5, 7, 0, 30, 0, TimeSpan.Zero));
        // 16:00 UTC Monday is 00:00 Tuesday in Beijing.
        Assert.Equal(Period.AfterHours, At(2030, 5, 6, 16, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateTime(2030, 5, 7, 0, 0, 0), _last!.LocalTime);
    }

    [Fact]
    public void Daylight_saving_moves_the_opening_in_UTC()
    {
        // Berlin springs forward on Sunday 2030-03-31 (02:00 → 03:00): opening at 08:30 is 07:30 UTC before, 06:30 UTC after.
        var schedule = Hotline("Europe/Berlin") with { Calendar = null };
        _kit.Schedules.Save(schedule);
        Assert.Equal(Period.AfterHours, At(2030, 3, 29, 7, 29, 59, TimeSpan.Zero)); // Friday, UTC+1
        Assert.Equal(Period.Work, At(2030, 3, 29, 7, 30, 0, TimeSpan.Zero));
        Assert.Equal(Period.AfterHours, At(2030, 4, 1, 6, 29, 59, TimeSpan.Zero)); // Monday, UTC+2
        Assert.Equal(Period.Work, At(2030, 4, 1, 6, 30, 0, TimeSpan.Zero));
        // The hour that does not exist (02:00–03:00 local on the Sunday) is simply skipped.
        Assert.Equal(Period.AfterHours, At(2030, 3, 31, 1, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Refuses_inconsistent_hours_and_unknown_zones_naming_the_field()
    {
        var bad = Hotline("Mars/Olympus") with
        {
            Calendar = null,
            Week = new Dictionary<DayOfWeek, DayHours> { [DayOfWeek.Monday] = new(ClockTime.Parse("18:00"), ClockTime.Parse("08:00")) },
            MakeUpDays = [new MakeUpDay(new DateOnly(2030, 1, 5), "x", DayOfWeek.Sunday)],
        };
        var e = Assert.Throws<IvrValidationException>(() => _kit.Schedules.Save(bad));
        Assert.Contains(e.Problems, p => p.StartsWith("timeZone", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("week.monday", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("makeUpDays[0]", StringComparison.Ordinal));
    }

    [Fact]
    public void A_schedule_round_trips_through_its_JSON()
    {
        var json = IvrJson.Serialize(Hotline());
        Assert.Contains("\"monday\":{\"open\":\"08:30\",\"close\":\"17:30\",\"lunchStart\":\"12:00\",\"lunchEnd\":\"13:30\"}", json);
        var back = IvrJson.Deserialize<Schedule>(json)!;
        Assert.Equal(Hotline().Week[DayOfWeek.Friday], back.Week[DayOfWeek.Friday]);
        var calendar = IvrJson.Deserialize<HolidayCalendar>(IvrJson.Serialize(China2030))!;
        Assert.Equal(China2030.Holidays, calendar.Holidays);
        Assert.Equal(China2030.MakeUpDays, calendar.MakeUpDays);
    }
}
