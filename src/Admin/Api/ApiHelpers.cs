using System.Security.Claims;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Http;

namespace Hotline.Admin.Api;

internal static class ApiHelpers
{
    public static Actor ActorOf(this HttpContext http) =>
        new(http.User.Identity?.Name ?? "anonymous", http.Connection.RemoteIpAddress?.ToString());

    public static Actor ActorOf(ClaimsPrincipal user, string? address) => new(user.Identity?.Name ?? "anonymous", address);

    /// <summary>200 with the value, 400 with the fields that are wrong (RFC 9457 validation problem), 404, or 409 with the refusal.</summary>
    public static IResult ToResult<T>(this Outcome<T> outcome, Func<T, IResult>? ok = null)
    {
        if (outcome.Missing) return Results.NotFound();
        if (outcome.Errors is { } errors) return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value));
        if (outcome.Refusal is { } refusal) return Results.Problem(title: "refused", detail: refusal, statusCode: StatusCodes.Status409Conflict);
        return ok is null ? Results.Ok(outcome.Value) : ok(outcome.Value!);
    }

    public static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value));

    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
