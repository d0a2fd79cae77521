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
    }
}
