using System.Security.Claims;
using Hotline.Admin.Localization;
using Hotline.Admin.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Login and logout by form (cookie session, antiforgery-checked), the language switch, and the caller's own account.</summary>
internal static class AccountEndpoints
{
    public sealed record PasswordChange(string? CurrentPassword, string? NewPassword);

    public static void Map(IEndpointRouteBuilder app)
    {
        // Form posts: the antiforgery middleware checks the token of every form-bound endpoint.
        app.MapPost("/account/login", async (HttpContext http, [FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl, UserService users) =>
        {
            var result = users.Authenticate(userName, password, http.Connection.RemoteIpAddress?.ToString());
            var back = LocalUrl(returnUrl);
            if (result.Status != LoginStatus.Ok)
            {
                var error = result.Status == LoginStatus.Locked ? "locked" : "invalid";
                return Results.Redirect($"/login?error={error}&returnUrl={Uri.EscapeDataString(back)}");
            }
            var user = result.User!;
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, user.UserName), new Claim(ClaimTypes.Role, user.Role), new Claim(AdminClaims.Stamp, user.Stamp)],
                CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.Redirect(back);
        }).AllowAnonymous().ExcludeFromDescription();

        app.MapPost("/account/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        }).RequireAuthorization().ExcludeFromDescription();

        app.MapGet("/account/lang/{lang}", (HttpContext http, string lang, string? returnUrl) =>
        {
            if (Texts.IsLanguage(lang))
                http.Response.Cookies.Append(Texts.CookieName, lang, new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
            return Results.Redirect(LocalUrl(returnUrl));
        }).AllowAnonymous().ExcludeFromDescription();

        var me = app.MapGroup("/api/me").RequireAuthorization(Policies.Monitor).WithTags("Account");
        me.MapGet("", (ClaimsPrincipal user) => Results.Ok(new
        {
            name = user.Identity!.Name,
            role = user.FindFirstValue(ClaimTypes.Role),
            token = user.FindFirstValue(AdminClaims.TokenId) is not null,
        })).WithSummary("Who is calling: name and role");
        me.MapPost("/password", (HttpContext http, PasswordChange body, UserService users) =>
        {
            if (http.User.FindFirstValue(AdminClaims.TokenId) is not null) return ApiHelpers.Invalid("CurrentPassword", "API tokens have no password");
            return users.ChangeOwnPassword(http.User.Identity!.Name!, body.CurrentPassword, body.NewPassword, http.ActorOf()).ToResult(_ => Results.NoContent());
        }).WithSummary("Change the caller's own password");
    }

    /// <summary>Only paths on this site, so a login link cannot send the user elsewhere.</summary>
    public static string LocalUrl(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) ? url : "/";
}
