using Hotline.Admin.ContactCentre;
using Hotline.Admin.Security;
using Hotline.Ivr.ContactCentre.Mixing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>
/// The contact centre live: the snapshot (everyone), agents' state changed by supervisors, statistics, the
/// abandoned list, click-to-dial, supervision (listen, whisper, barge), call control and conference rooms.
/// </summary>
internal static class AcdEndpoints
{
    public sealed record LoginBody(string? Phone);
    public sealed record PauseBody(string? Reason);
    public sealed record CallbackBody(string? Queue);
    public sealed record ModeBody(SupervisorMode Mode);
    public sealed record MuteBody(bool Muted = true);

    public static void Map(IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/api/acd").RequireAuthorization(Policies.Monitor).WithTags("Contact centre live");
        live.MapGet("", async (AcdOperations s) => Results.Ok(await s.SnapshotAsync()))
            .WithSummary("Queues (waiting callers, longest wait, agents by state, figures) and agents (state, phone, call) now");
        live.MapGet("/agents/{number}", async (string number, AcdOperations s) => await s.AgentAsync(number) is { } a ? Results.Ok(a) : Results.NotFound())
            .WithSummary("One agent's state now");
        live.MapPost("/agents/{number}/login", async (HttpContext http, string number, LoginBody body, AcdOperations s) => (await s.LoginAsync(number, body.Phone, http.ActorOf())).ToResult())
            .RequireAuthorization(Policies.Supervise).WithSummary("Log an agent in at an extension (a phone already carrying another agent logs that one out)");
        live.MapPost("/agents/{number}/logout", async (HttpContext http, string number, AcdOperations s) => (await s.LogoutAsync(number, http.ActorOf())).ToResult())
            .RequireAuthorization(Policies.Supervise).WithSummary("Log an agent out (at the end of a call in progress)");
        live.MapPost("/agents/{number}/pause", async (HttpContext http, string number, PauseBody? body, AcdOperations s) => (await s.PauseAsync(number, body?.Reason, http.ActorOf())).ToResult())
            .RequireAuthorization(Policies.Supervise).WithSummary("Pause an agent with a reason (at the end of a call in progress)");
        live.MapPost("/agents/{number}/resume", async (HttpContext http, string number, AcdOperations s) => (await s.ResumeAsync(number, http.ActorOf())).ToResult())
            .RequireAuthorization(Policies.Supervise).WithSummary("End an agent's pause or wrap-up");
        live.MapGet("/stats", async (AcdOperations s) =>
        {
            var snapshot = await s.SnapshotAsync();
            return Results.Ok(new
            {
                at = snapshot.At,
                queues = snapshot.Queues.Select(q => new { q.Number, q.Name, q.Figures }),
                agents = snapshot.Agents.Select(a => new { a.Number, a.Name, a.Figures }),
            });
        }).RequireAuthorization(Policies.Supervise).WithSummary("Per queue: offered, answered, answered within the service level, abandoned, average wait and talk; per agent likewise");
        live.MapPost("/stats/reset", async (HttpContext http, AcdOperations s) =>
        {
            await s.ResetStatisticsAsync(http.ActorOf());
            return Results.NoContent();
        }).RequireAuthorization(Policies.Admin).WithSummary("Start a new statistics period");

        var abandoned = app.MapGroup("/api/abandoned").RequireAuthorization(Policies.Supervise).WithTags("Abandoned calls");
        abandoned.MapGet("", (bool? handled, int? limit, AcdOperations s) =>
        {
            var n = limit ?? 200;
            return n is < 1 or > 1000 ? ApiHelpers.Invalid("limit", "must be between 1 and 1000") : Results.Ok(s.Abandoned(handled == true, n));
        }).WithSummary("Callers who hung up while waiting (and callbacks that failed), newest first; handled=true includes those taken");
        abandoned.MapPost("/{id}/callback", (HttpContext http, string id, CallbackBody? body, AcdOperations s) => s.ScheduleCallback(id, body?.Queue, http.ActorOf()).ToResult())
            .WithSummary("Call the citizen back: they join the queue again, ahead of new callers");
        abandoned.MapPost("/{id}/handled", (HttpContext http, string id, AcdOperations s) => s.MarkHandled(id, http.ActorOf()).ToResult())
            .WithSummary("Mark an entry done (the caller was reached another way)");

        app.MapPost("/api/click-to-dial", async (HttpContext http, ClickToDialInput input, AcdOperations s) =>
                (await s.ClickToDialAsync(input, http.ActorOf())).ToResult(r => Results.Accepted(value: r)))
            .RequireAuthorization(Policies.Supervise).WithTags("Contact centre live")
            .WithSummary("Ring an agent's phone, then the customer's numbers in order; progress arrives as clicktodial.* events");

        var supervision = app.MapGroup("/api/supervision").RequireAuthorization(Policies.Supervise).WithTags("Supervision");
        supervision.MapGet("", (CallSupervision s) => Results.Ok(s.Sessions())).WithSummary("Supervisors now on agents' calls, and how");
        supervision.MapPost("", async (HttpContext http, SupervisionInput input, CallSupervision s) =>
                (await s.StartAsync(input, http.ActorOf())).ToResult(r => Results.Accepted(value: r)))
            .WithSummary("Ring the supervisor's phone and join them to an agent's call: Listen (heard by nobody), Whisper (by the agent), Barge (by both)");
        supervision.MapPut("/{supervisorCall}/mode", (HttpContext http, string supervisorCall, ModeBody body, CallSupervision s) =>
            s.SetMode(supervisorCall, body.Mode, http.ActorOf()).ToResult()).WithSummary("Switch a session between listen, whisper and barge");

        var control = app.MapGroup("/api/call-control").RequireAuthorization(Policies.Supervise).WithTags("Call control");
        foreach (var (path, action, summary) in new[]
        {
            ("three-way", CallControlAction.ThreeWay, "Bring a department (an extension or a number) into the agent's call"),
            ("consult", CallControlAction.Consult, "Consultative transfer: the target joins; complete it to drop the agent"),
            ("complete", CallControlAction.Complete, "The agent drops out of a three-way or consultation; the others go on"),
            ("transfer", CallControlAction.Transfer, "Blind transfer of the citizen to an extension, a number or Kind:Value (Queue:8000 …)"),
            ("playback", CallControlAction.Playback, "Play an earlier call's recording (by call record id) into the agent's call"),
        })
        {
            control.MapPost("/" + path, async (HttpContext http, CallControlInput input, CallSupervision s) =>
                (await s.ControlAsync(action, input, http.ActorOf(), http.RequestAborted)).ToResult(r => Results.Ok(new { result = r }))).WithSummary(summary);
        }

        var conferences = app.MapGroup("/api/conferences").RequireAuthorization(Policies.Supervise).WithTags("Conference rooms");
        conferences.MapGet("", (CallSupervision s) => Results.Ok(s.Conferences())).WithSummary("Open rooms and who is in them (muted, moderator), recording");
        conferences.MapPost("/{room}/participants/{callId}/mute", (HttpContext http, string room, string callId, MuteBody? body, CallSupervision s) =>
            s.Mute(room, callId, body?.Muted ?? true, http.ActorOf()).ToResult()).WithSummary("Mute (muted=false: unmute) a participant");
        conferences.MapDelete("/{room}/participants/{callId}", async (HttpContext http, string room, string callId, CallSupervision s) =>
            (await s.KickAsync(room, callId, http.ActorOf())).ToResult(_ => Results.NoContent())).WithSummary("Hang up a participant");
        conferences.MapPost("/{room}/recording", async (HttpContext http, string room, CallSupervision s) =>
            (await s.RecordAsync(room, true, http.ActorOf())).ToResult(_ => Results.NoContent())).WithSummary("Start recording the room");
        conferences.MapDelete("/{room}/recording", async (HttpContext http, string room, CallSupervision s) =>
            (await s.RecordAsync(room, false, http.ActorOf())).ToResult(_ => Results.NoContent())).WithSummary("Stop recording the room");
    }
}
