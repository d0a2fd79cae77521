using Hotline.Admin.Ivr;
using Hotline.Admin.Security;
using Hotline.Ivr;
using Hotline.Ivr.Blacklist;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Schedules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>
/// Schedules and holiday calendars (with the night-service switch), hotline entries, follow-me profiles, the
/// blacklist and the IVR call log. Bodies and answers are in the IVR's JSON shape (camelCase enums, HH:mm, yyyy-MM-dd).
/// </summary>
internal static class IvrConfigEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/api/schedules").RequireAuthorization(Policies.Supervise).WithTags("Schedules");
        schedules.MapGet("", (ScheduleAdmin s) => IvrBodies.Json(s.List())).Produces<ScheduleStatus[]>()
            .WithSummary("Schedules with the period each is in now: work, lunch, afterHours, holiday, nightService");
        schedules.MapGet("/{id}", (string id, ScheduleAdmin s) => s.Get(id) is { } x ? IvrBodies.Json(x) : Results.NotFound()).Produces<ScheduleStatus>()
            .WithSummary("One schedule and its period now");
        schedules.MapPost("", async (HttpContext http, ScheduleAdmin s) =>
        {
            var (x, problem) = await Body<Schedule>(http);
            return problem ?? s.Save(x!, null, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        })
            .Accepts<Schedule>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Create a schedule (hours per weekday, lunch, calendar, holidays, make-up days)");
        schedules.MapPut("/{id}", async (HttpContext http, string id, ScheduleAdmin s) =>
        {
            var (x, problem) = await Body<Schedule>(http);
            return problem ?? s.Save(x!, id, http.ActorOf()).ToIvrResult();
        }).Accepts<Schedule>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Change a schedule (the night-service switch is left as it is)");
        schedules.MapDelete("/{id}", (HttpContext http, string id, ScheduleAdmin s) => s.Delete(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a schedule no hotline, flow or campaign uses");
        schedules.MapPut("/{id}/night-service", (HttpContext http, string id, NightServiceInput input, ScheduleAdmin s) =>
            s.SetNightService(id, input, http.ActorOf()).ToIvrResult()).WithSummary("Switch night service on (until a time) or off: supervisors, in an emergency");

        var calendars = app.MapGroup("/api/calendars").RequireAuthorization(Policies.Supervise).WithTags("Schedules");
        calendars.MapGet("", (ScheduleAdmin s) => IvrBodies.Json(s.Calendars())).Produces<HolidayCalendar[]>().WithSummary("Holiday calendars (节假日 and 调休 make-up working days)");
        calendars.MapGet("/{id}", (string id, ScheduleAdmin s) => s.Calendar(id) is { } c ? IvrBodies.Json(c) : Results.NotFound()).Produces<HolidayCalendar>()
            .WithSummary("One holiday calendar");
        calendars.MapPost("", async (HttpContext http, ScheduleAdmin s) =>
        {
            var (x, problem) = await Body<HolidayCalendar>(http);
            return problem ?? s.SaveCalendar(x!, null, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        }).Accepts<HolidayCalendar>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Create a holiday calendar");
        calendars.MapPut("/{id}", async (HttpContext http, string id, ScheduleAdmin s) =>
        {
            var (x, problem) = await Body<HolidayCalendar>(http);
            return problem ?? s.SaveCalendar(x!, id, http.ActorOf()).ToIvrResult();
        }).Accepts<HolidayCalendar>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Change a holiday calendar");
        calendars.MapDelete("/{id}", (HttpContext http, string id, ScheduleAdmin s) => s.DeleteCalendar(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a calendar no schedule uses");

        var hotlines = app.MapGroup("/api/hotlines").RequireAuthorization(Policies.Supervise).WithTags("Hotlines");
        hotlines.MapGet("", (HotlineAdmin s) => IvrBodies.Json(s.List())).Produces<HotlineEntry[]>().WithSummary("Hotline entries: schedule and destination per period");
        hotlines.MapGet("/{id}", (string id, HotlineAdmin s) => s.Get(id) is { } h ? IvrBodies.Json(h) : Results.NotFound()).Produces<HotlineEntry>().WithSummary("One hotline entry");
        hotlines.MapPost("", async (HttpContext http, HotlineAdmin s) =>
        {
            var (x, problem) = await Body<HotlineEntry>(http);
            return problem ?? s.Save(x!, null, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        }).Accepts<HotlineEntry>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Create a hotline entry (every destination must exist)");
        hotlines.MapPut("/{id}", async (HttpContext http, string id, HotlineAdmin s) =>
        {
            var (x, problem) = await Body<HotlineEntry>(http);
            return problem ?? s.Save(x!, id, http.ActorOf()).ToIvrResult();
        }).Accepts<HotlineEntry>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Change a hotline entry");
        hotlines.MapDelete("/{id}", (HttpContext http, string id, HotlineAdmin s) => s.Delete(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a hotline entry");

        var followMe = app.MapGroup("/api/followme").RequireAuthorization(Policies.Supervise).WithTags("Follow-me");
        followMe.MapGet("", (FollowMeAdmin s) => IvrBodies.Json(s.List())).Produces<FollowMeProfile[]>().WithSummary("Follow-me profiles");
        followMe.MapGet("/{id}", (string id, FollowMeAdmin s) => s.Get(id) is { } f ? IvrBodies.Json(f) : Results.NotFound()).Produces<FollowMeProfile>()
            .WithSummary("One user's follow-me profile");
        followMe.MapPost("", async (HttpContext http, FollowMeAdmin s) =>
        {
            var (x, problem) = await Body<FollowMeProfile>(http);
            return problem ?? s.Save(x!, null, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        }).Accepts<FollowMeProfile>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Create a follow-me profile");
        followMe.MapPut("/{id}", async (HttpContext http, string id, FollowMeAdmin s) =>
        {
            var (x, problem) = await Body<FollowMeProfile>(http);
            return problem ?? s.Save(x!, id, http.ActorOf()).ToIvrResult();
        }).Accepts<FollowMeProfile>("application/json").RequireAuthorization(Policies.Admin).WithSummary("Change a follow-me profile");
        followMe.MapDelete("/{id}", (HttpContext http, string id, FollowMeAdmin s) => s.Delete(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a follow-me profile");

        // Supervisors keep the blacklist: harassing callers are blocked during a shift, not at the next change window.
        var blacklist = app.MapGroup("/api/blacklist").RequireAuthorization(Policies.Supervise).WithTags("Blacklist");
        blacklist.MapGet("", (BlacklistAdmin s) => IvrBodies.Json(s.List())).Produces<BlacklistEntry[]>().WithSummary("Entries with hits and the last hit");
        blacklist.MapGet("/check", (string number, string? hotline, BlacklistAdmin s) => IvrBodies.Json(new { listed = s.Check(number, hotline) }))
            .WithSummary("The entry a call from this number would meet now (null when none)");
        blacklist.MapGet("/{id}", (string id, BlacklistAdmin s) => s.Get(id) is { } e ? IvrBodies.Json(e) : Results.NotFound()).Produces<BlacklistEntry>().WithSummary("One entry");
        blacklist.MapPost("", async (HttpContext http, BlacklistAdmin s) =>
        {
            var (x, problem) = await Body<BlacklistEntry>(http);
            return problem ?? s.Save(x!, null, http.ActorOf()).ToIvrResult(StatusCodes.Status201Created);
        }).Accepts<BlacklistEntry>("application/json").WithSummary("Add an entry: exact number, prefix or anonymous; action, expiry, scope");
        blacklist.MapPut("/{id}", async (HttpContext http, string id, BlacklistAdmin s) =>
        {
            var (x, problem) = await Body<BlacklistEntry>(http);
            return problem ?? s.Save(x!, id, http.ActorOf()).ToIvrResult();
        }).Accepts<BlacklistEntry>("application/json").WithSummary("Change an entry (its hits are kept)");
        blacklist.MapDelete("/{id}", (HttpContext http, string id, BlacklistAdmin s) => s.Delete(id, http.ActorOf()).ToIvrResult(StatusCodes.Status204NoContent))
            .WithSummary("Remove an entry");

        app.MapGet("/api/ivr/calls", (string? caller, int? limit, IvrServices ivr) =>
        {
            var n = limit ?? 100;
            return n is < 1 or > 1000 ? ApiHelpers.Invalid("limit", "must be between 1 and 1000") : IvrBodies.Json(ivr.CallLog.Recent(n, string.IsNullOrWhiteSpace(caller) ? null : caller.Trim()));
        }).RequireAuthorization(Policies.Supervise).WithTags("IVR call log").WithSummary("Calls that entered a hotline or flow, newest first: caller, period, path, outcome");
    }

    private static Task<(T? Value, IResult? Problem)> Body<T>(HttpContext http) where T : class => IvrBodies.ReadAsync<T>(http);
}
