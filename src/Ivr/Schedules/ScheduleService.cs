using Hotline.Ivr.Storage;
using Hotline.Switch.Store;

namespace Hotline.Ivr.Schedules;

/// <summary>
/// Schedules and holiday calendars in the store, and the period each schedule is in now. Read from the store
/// on every question, so an edit (or the night-service switch) applies to the next call.
/// </summary>
public sealed class ScheduleService
{
    private readonly JsonCollection<Schedule> _schedules;
    private readonly JsonCollection<HolidayCalendar> _calendars;
    private readonly TimeProvider _time;

    public ScheduleService(HotlineStore store, TimeProvider time)
    {
        _schedules = new JsonCollection<Schedule>(store, "ivr_schedules");
        _calendars = new JsonCollection<HolidayCalendar>(store, "ivr_calendars");
        _time = time;
    }

    public IReadOnlyList<Schedule> List() => _schedules.All();
    public Schedule? Get(string id) => _schedules.Find(id);
    public bool Exists(string id) => _schedules.Find(id) is not null;

    public void Save(Schedule schedule)
    {
        var problems = schedule.Problems().ToList();
        if (schedule.Calendar is { } c && _calendars.Find(c) is null) problems.Add($"calendar '{c}' does not exist");
        IvrValidationException.ThrowIfAny(problems);
        _schedules.Save(schedule.Id, schedule);
    }

    public bool Delete(string id) => _schedules.Delete(id);

    public IReadOnlyList<HolidayCalendar> Calendars() => _calendars.All();
    public HolidayCalendar? GetCalendar(string id) => _calendars.Find(id);

    public void SaveCalendar(HolidayCalendar calendar)
    {
        var problems = new List<string>();
        if (!Hotline.Ivr.Flows.FlowFields.NodeId().IsMatch(calendar.Id)) problems.Add($"id '{calendar.Id}' may have letters, digits, _ . - and at most 64 characters");
        for (var i = 0; i < calendar.Holidays.Count; i++)
        {
            if (calendar.Holidays[i].From > calendar.Holidays[i].To) problems.Add($"holidays[{i}]: from is after to");
        }
        IvrValidationException.ThrowIfAny(problems);
        _calendars.Save(calendar.Id, calendar);
    }

    public bool DeleteCalendar(string id) => _calendars.Delete(id);

    /// <summary>The period of schedule <paramref name="id"/> now; null when there is no such schedule.</summary>
    public PeriodNow? Current(string id) => At(id, _time.GetUtcNow());

    public PeriodNow? At(string id, DateTimeOffset instant)
    {
        var schedule = _schedules.Find(id);
        if (schedule is null) return null;
        var calendar = schedule.Calendar is { } c ? _calendars.Find(c) : null;
        return PeriodCalculator.At(schedule, calendar, instant);
    }

    /// <summary>Turns the manual night-service override on (optionally until a time) or off.</summary>
    public bool SetNightService(string id, bool on, DateTimeOffset? until = null)
    {
        var schedule = _schedules.Find(id);
        if (schedule is null) return false;
        _schedules.Save(id, schedule with { NightService = on, NightServiceUntil = on ? until : null });
        return true;
    }
}
