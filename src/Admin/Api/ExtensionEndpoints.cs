using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

internal static class ExtensionEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/extensions").RequireAuthorization(Policies.Supervise).WithTags("Extensions");
        api.MapGet("", (ExtensionService extensions) => Results.Ok(extensions.List())).WithSummary("All extensions (never passwords)");
        api.MapGet("/{number}", (string number, ExtensionService extensions) =>
            extensions.Get(number) is { } e ? Results.Ok(e) : Results.NotFound()).WithSummary("One extension");
        api.MapPost("", (HttpContext http, ExtensionInput input, ExtensionService extensions) =>
            extensions.Create(input, http.ActorOf()).ToResult(e => Results.Created($"/api/extensions/{e.Number}", e)))
            .RequireAuthorization(Policies.Admin).WithSummary("Create an extension");
        api.MapPut("/{number}", (HttpContext http, string number, ExtensionInput input, ExtensionService extensions) =>
            extensions.Update(number, input, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change an extension (an empty password keeps the current one)");
        api.MapDelete("/{number}", (HttpContext http, string number, ExtensionService extensions) =>
            extensions.Delete(number, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Delete an extension");
    

        var trunks = app.MapGroup("/api/trunk-config").RequireAuthorization(Policies.Supervise).WithTags("Trunks");
        trunks.MapGet("", (TrunkService s) => Results.Ok(s.List())).WithSummary("Trunk settings (passwords never; hasPassword says whether one is stored)");
        trunks.MapGet("/{name}", (string name, TrunkService s) => s.Get(name) is { } t ? Results.Ok(t) : Results.NotFound()).WithSummary("One trunk's settings");
        trunks.MapPost("", (HttpContext http, Hotline.Switch.Trunks.Trunk input, TrunkService s) =>
            s.Create(input, http.ActorOf()).ToResult(t => Results.Created($"/api/trunk-config/{t.Name}", t)))
            .RequireAuthorization(Policies.Admin).WithSummary("Add a trunk (applied at once: registration and keep-alive start)");
        trunks.MapPut("/{name}", (HttpContext http, string name, Hotline.Switch.Trunks.Trunk input, TrunkService s) =>
            s.Update(name, input, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change a trunk (a null password keeps the stored one)");
        trunks.MapDelete("/{name}", (HttpContext http, string name, TrunkService s) =>
            s.Delete(name, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Remove a trunk");
    

        var routes = app.MapGroup("/api/routes").RequireAuthorization(Policies.Supervise).WithTags("Routes");
        routes.MapGet("/outbound", (RouteService s) => Results.Ok(s.Outbound())).WithSummary("Outbound routes in the order they are tried");
        routes.MapPost("/outbound", (HttpContext http, Hotline.Switch.Routing.OutboundRoute input, RouteService s) =>
            s.SaveOutbound(input, creating: true, http.ActorOf()).ToResult(r => Results.Created($"/api/routes/outbound/{r.Name}", r)))
            .RequireAuthorization(Policies.Admin).WithSummary("Add an outbound route");
        routes.MapPut("/outbound/{name}", (HttpContext http, string name, Hotline.Switch.Routing.OutboundRoute input, RouteService s) =>
            s.SaveOutbound(input with { Name = name }, creating: false, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change an outbound route");
        routes.MapDelete("/outbound/{name}", (HttpContext http, string name, RouteService s) =>
            s.DeleteOutbound(name, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Remove an outbound route");
        routes.MapGet("/inbound", (RouteService s) => Results.Ok(s.Inbound())).WithSummary("Inbound routes (DID → destination)");
        routes.MapPost("/inbound", (HttpContext http, Hotline.Switch.Routing.InboundRoute input, RouteService s) =>
            s.SaveInbound(input, creating: true, http.ActorOf()).ToResult(r => Results.Created($"/api/routes/inbound/{r.Did}", r)))
            .RequireAuthorization(Policies.Admin).WithSummary("Add an inbound route for a DID");
        routes.MapPut("/inbound/{did}", (HttpContext http, string did, Hotline.Switch.Routing.InboundRoute input, RouteService s) =>
            s.SaveInbound(input with { Did = did }, creating: false, http.ActorOf()).ToResult())
            .RequireAuthorization(Policies.Admin).WithSummary("Change a DID's route");
        routes.MapDelete("/inbound/{did}", (HttpContext http, string did, RouteService s) =>
            s.DeleteInbound(did, http.ActorOf()).ToResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.Admin).WithSummary("Remove a DID's route");
    }
}
