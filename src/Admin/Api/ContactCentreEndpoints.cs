using Hotline.Admin.ContactCentre;
using Hotline.Admin.Security;
using Hotline.Ivr.ContactCentre;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Queues, agents (with PINs, never shown) and conference rooms: supervisors read them, admins change them.</summary>
internal static class ContactCentreEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var queues = app.MapGroup("/api/queues").RequireAuthorization(Policies.Supervise).WithTags("Queues and agents");
        queues.MapGet("", (DirectoryAdmin s) => Results.Ok(s.Queues())).WithSummary("Queues: strategy, members, timers, overflow, callback");
        queues.MapGet("/{number}", (string number, DirectoryAdmin s) => s.Queue(number) is { } q ? Results.Ok(q) : Results.NotFound()).WithSummary("One queue");
        queues.MapPost("", (HttpContext http, QueueDefinition input, DirectoryAdmin s) =>
            s.SaveQueue(input, null, http.ActorOf()).ToResult(q => Results.Created($"/api/queues/{q.Number}", q)))
            .RequireAuthorization(Policies.Admin).WithSummary("Create a queue (its number becomes dialable)");
        queues.MapPut("/{number}", (HttpContext http, string number, QueueDefinition input, DirectoryAdmin s) => s.SaveQueue(input, number, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change a queue; applies to the next decision");
        queues.MapDelete("/{number}", (HttpContext http, string number, DirectoryAdmin s) => s.DeleteQueue(number, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a queue (its waiting callers overflow)");

        var agents = app.MapGroup("/api/agents").RequireAuthorization(Policies.Supervise).WithTags("Queues and agents");
        agents.MapGet("", (DirectoryAdmin s) => Results.Ok(s.Agents())).WithSummary("Agents: name, skills, supervisor role (never PINs)");
        agents.MapGet("/{number}", (string number, DirectoryAdmin s) => s.Agent(number) is { } a ? Results.Ok(a) : Results.NotFound()).WithSummary("One agent");
        agents.MapPost("", (HttpContext http, AgentInput input, DirectoryAdmin s) =>
            s.SaveAgent(input, null, http.ActorOf()).ToResult(a => Results.Created($"/api/agents/{a.Number}", a)))
            .RequireAuthorization(Policies.Admin).WithSummary("Create an agent (PIN of 4 to 12 digits required)");
        agents.MapPut("/{number}", (HttpContext http, string number, AgentInput input, DirectoryAdmin s) => s.SaveAgent(input, number, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change an agent (an empty PIN keeps the current one)");
        agents.MapDelete("/{number}", (HttpContext http, string number, DirectoryAdmin s) => s.DeleteAgent(number, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete an agent who is in no queue");

        var rooms = app.MapGroup("/api/rooms").RequireAuthorization(Policies.Supervise).WithTags("Conference rooms");
        rooms.MapGet("", (DirectoryAdmin s) => Results.Ok(s.Rooms())).WithSummary("Conference rooms: PINs, moderator, recording, size");
        rooms.MapGet("/{number}", (string number, DirectoryAdmin s) => s.Room(number) is { } r ? Results.Ok(r) : Results.NotFound()).WithSummary("One room");
        rooms.MapPost("", (HttpContext http, ConferenceRoomDefinition input, DirectoryAdmin s) =>
            s.SaveRoom(input, null, http.ActorOf()).ToResult(r => Results.Created($"/api/rooms/{r.Number}", r)))
            .RequireAuthorization(Policies.Admin).WithSummary("Create a room (its number becomes dialable)");
        rooms.MapPut("/{number}", (HttpContext http, string number, ConferenceRoomDefinition input, DirectoryAdmin s) => s.SaveRoom(input, number, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change a room");
        rooms.MapDelete("/{number}", (HttpContext http, string number, DirectoryAdmin s) => s.DeleteRoom(number, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete a room");
    }
}
