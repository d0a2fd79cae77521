using Hotline.Admin.Monitoring;
using Hotline.Admin.Security;
using Hotline.Switch.Accounts;
using Hotline.Switch.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Status, registrations and live calls; hang-up; /healthz and /metrics.</summary>
internal static class MonitorEndpoints
{
    public sealed record HangupRequest(string? Reason);

    public static void Map(IEndpointRouteBuilder app, AdminOptions options)
    {
        var api = app.MapGroup("/api").RequireAuthorization(Policies.Monitor).WithTags("Monitoring");
        api.MapGet("/status", (ISwitchStatus status) => Results.Ok(new { endpoint = status.Endpoint, counters = status.Counters() }))
            .WithSummary("Listening address and counters: registrations, active calls, call rate");
        api.MapGet("/trunks", (ISwitchStatus status) => Results.Ok(status.Trunks())).WithSummary("Trunks and their live state: link, registration, load");
        api.MapGet("/registrations", (ISwitchStatus status) => Results.Ok(status.Registrations())).WithSummary("Registered contacts");
        api.MapGet("/calls", (ISwitchStatus status, TimeProvider time) =>
        {
            var now = time.GetUtcNow();
            return Results.Ok(status.LiveCalls().Select(c => new { c.CallId, c.Caller, c.Callee, c.State, c.Started, durationSeconds = (int)c.Duration(now).TotalSeconds, c.InboundTrunk, c.Legs }));
        }).WithSummary("Live calls with their legs");
        api.MapPost("/calls/{callId}/hangup", (HttpContext http, string callId, HangupRequest? body, ISwitchCommands commands, Audit.AuditLog audit) =>
        {
            var reason = body?.Reason is { Length: > 0 and <= 100 } r ? r : "supervisor";
            var result = commands.HangUp(callId, reason);
            if (!result.Done) return Results.Problem(title: "call not hung up", detail: result.Refusal, statusCode: StatusCodes.Status409Conflict);
            var actor = http.ActorOf();
            audit.Write(actor.Name, "call.hangup", callId, [new Audit.AuditChange { Field = "Reason", New = reason }], actor.Address);
            return Results.NoContent();
        }).RequireAuthorization(Policies.Supervise).WithSummary("End a live call (supervisor, admin)");

        app.MapGet("/healthz", (ISwitchStatus status, IExtensionRepository extensions) =>
        {
            try
            {
                _ = extensions.Find("0");
                return Results.Ok(new { status = "ok", sipPort = status.Endpoint.Port });
            }
            catch (Exception e)
            {
                return Results.Json(new { status = "failing", reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous().WithTags("Monitoring").WithSummary("Liveness: the store answers");

        var metrics = app.MapGet("/metrics", (MetricsWriter writer) => Results.Text(writer.Write(), MetricsWriter.ContentType))
            .WithTags("Monitoring").WithSummary("Prometheus metrics");
        if (options.MetricsAnonymous) metrics.AllowAnonymous();
        else metrics.RequireAuthorization(Policies.Monitor);
    }
}
