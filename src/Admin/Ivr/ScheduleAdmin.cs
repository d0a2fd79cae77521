using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Flows;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Storage;

namespace Hotline.Admin.Ivr;

/// <summary>A schedule with the period it is in now (上班 work, 午休 lunch, 下班 after hours, 节假日 holiday, night service) and why.</summary>
public sealed record ScheduleStatus(Schedule Schedule, Period Period, string Reason, DateTime LocalTime);

/// <summary>The manual night-service switch: on (until a time, or until switched off) or off.</summary>
public sealed record NightServiceInput(bool On, DateTimeOffset? Until);

/// <summary>
/// Schedules (hours per weekday with a lunch break, a holiday calendar, their own holidays and make-up working
/// days) and holiday calendars through the panel and the API, validated by field and audited. The night-service
/// override is kept apart from edits: only <see cref="SetNightService"/> changes it.
/// </summary>
public sealed class ScheduleAdmin(IvrServices ivr, AuditLog audit, TimeProvider time)
{
    private ScheduleService Schedules => ivr.Schedules;

    public IReadOnlyList<ScheduleStatus> List() => Schedules.List().Select(Status).ToList();

    public ScheduleStatus? Get(string id) => Schedules.Get(id) is { } s ? Status(s) : null;

    private ScheduleStatus Status(Schedule s)
    {
        var now = Schedules.Current(s.Id)!;
        return new ScheduleStatus(s, now.Period, now.Reason, now.LocalTime);
    }

    public Outcome<Schedule> Save(Schedule input, string? id, Actor actor)
    {
        var existing = Schedules.Get(id ?? input.Id);
        if (id is null && existing is not null) return Outcome<Schedule>.Invalid("id", $"schedule '{input.Id}' already exists");
        if (id is not null && existing is null) return Outcome<Schedule>.NotFound();
        var wanted = input with
        {
            Id = id ?? input.Id?.Trim() ?? "", Name = input.Name?.Trim() ?? "", Source = "admin",
            Week = input.Week ?? new Dictionary<DayOfWeek, DayHours>(), Holidays = input.Holidays ?? [], MakeUpDays = input.MakeUpDays ?? [],
            Calendar = string.IsNullOrWhiteSpace(input.Calendar) ? null : input.Calendar.Trim(),
            NightService = existing?.NightService ?? false, NightServiceUntil = existing?.NightServiceUntil,
        };
        try
        {
            Schedules.Save(wanted);
        }
        catch (IvrValidationException e)
        {
            return Outcome<Schedule>.Invalid(IvrProblems.Parse(e.Problems));
        }
        audit.Write(actor.Name, existing is null ? "schedule.create" : "schedule.update", wanted.Id,
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), AuditSnapshot.Of(wanted, IvrJson.Options)), actor.Address);
        return wanted;
    }

    public Outcome<Schedule> Delete(string id, Actor actor)
    {
        var existing = Schedules.Get(id);
        if (existing is null) return Outcome<Schedule>.NotFound();
        var users = ivr.Hotlines.List().Where(h => h.Schedule == id).Select(h => $"hotline {h.Id}")
            .Concat(ivr.Flows.List().Where(f => ivr.Flows.Get(f.Id)?.Nodes.Values.OfType<TimeSwitchNode>().Any(n => n.Schedule == id) == true).Select(f => $"flow {f.Id}"))
            .Concat(ivr.Campaigns.List().Where(c => c.Schedule == id && c.State is not (Hotline.Ivr.Campaigns.CampaignState.Completed or Hotline.Ivr.Campaigns.CampaignState.Cancelled)).Select(c => $"campaign {c.Id}"))
            .ToList();
        if (users.Count > 0) return Outcome<Schedule>.Invalid("id", $"schedule '{id}' is still used by {string.Join(", ", users)}");
        Schedules.Delete(id);
        audit.Write(actor.Name, "schedule.delete", id, AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    /// <summary>Switches night service on (everything goes to the night-service destination, until <c>Until</c> if given) or off.</summary>
    public Outcome<ScheduleStatus> SetNightService(string id, NightServiceInput input, Actor actor)
    {
        var existing = Schedules.Get(id);
        if (existing is null) return Outcome<ScheduleStatus>.NotFound();
        if (input.On && input.Until is { } until && until <= time.GetUtcNow()) return Outcome<ScheduleStatus>.Invalid("until", "must be in the future");
        Schedules.SetNightService(id, input.On, input.On ? input.Until : null);
        audit.Write(actor.Name, "schedule.nightservice", id, AuditLog.Diff(
            new Dictionary<string, string?> { ["NightService"] = existing.NightService ? "on" : "off", ["Until"] = existing.NightServiceUntil?.ToString("O") },
            new Dictionary<string, string?> { ["NightService"] = input.On ? "on" : "off", ["Until"] = input.On ? input.Until?.ToString("O") : null }), actor.Address);
        return Get(id)!;
    }

    public IReadOnlyList<HolidayCalendar> Calendars() => Schedules.Calendars();

    public HolidayCalendar? Calendar(string id) => Schedules.GetCalendar(id);

    public Outcome<HolidayCalendar> SaveCalendar(HolidayCalendar input, string? id, Actor actor)
    {
        var existing = Schedules.GetCalendar(id ?? input.Id ?? "");
        if (id is null && existing is not null) return Outcome<HolidayCalendar>.Invalid("id", $"calendar '{input.Id}' already exists");
        if (id is not null && existing is null) return Outcome<HolidayCalendar>.NotFound();
        var wanted = input with
        {
            Id = id ?? input.Id?.Trim() ?? "", Name = input.Name?.Trim() ?? "", Holidays = input.Holidays ?? [], MakeUpDays = input.MakeUpDays ?? [], Source = "admin",
        };
        var problems = new List<string>();
        for (var i = 0; i < wanted.Holidays.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(wanted.Holidays[i].Name)) problems.Add($"holidays[{i}]: needs a name (国庆节, Spring Festival …)");
        }
        for (var i = 0; i < wanted.MakeUpDays.Count; i++)
        {
            var d = wanted.MakeUpDays[i];
            if (wanted.Holidays.Any(h => h.Contains(d.Date))) problems.Add($"makeUpDays[{i}]: {d.Date:yyyy-MM-dd} is inside a holiday");
        }
        try
        {
            IvrValidationException.ThrowIfAny(problems);
            Schedules.SaveCalendar(wanted);
        }
        catch (IvrValidationException e)
        {
            return Outcome<HolidayCalendar>.Invalid(IvrProblems.Parse(e.Problems));
        }
        audit.Write(actor.Name, existing is null ? "calendar.create" : "calendar.update", wanted.Id,
            AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), AuditSnapshot.Of(wanted, IvrJson.Options)), actor.Address);
        return wanted;
    }

    public Outcome<HolidayCalendar> DeleteCalendar(string id, Actor actor)
    {
        var existing = Schedules.GetCalendar(id);
        if (existing is null) return Outcome<HolidayCalendar>.NotFound();
        var users = Schedules.List().Where(s => s.Calendar == id).Select(s => s.Id).ToList();
        if (users.Count > 0) return Outcome<HolidayCalendar>.Invalid("id", $"calendar '{id}' is still used by schedule {string.Join(", ", users)}");
        Schedules.DeleteCalendar(id);
        audit.Write(actor.Name, "calendar.delete", id, AuditLog.Diff(AuditSnapshot.Of(existing, IvrJson.Options), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }
}
