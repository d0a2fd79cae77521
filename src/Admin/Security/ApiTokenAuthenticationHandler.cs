using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Hotline.Admin.Security;

/// <summary>Authenticates "Authorization: Bearer hl_…" with an API token; the principal carries the token's role.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return Task.FromResult(AuthenticateResult.NoResult());
        var token = tokens.Validate(header["Bearer ".Length..].Trim());
        if (token is null) return Task.FromResult(AuthenticateResult.Fail("invalid or expired API token"));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, "token:" + token.Name), new Claim(ClaimTypes.Role, token.Role), new Claim(AdminClaims.TokenId, token.Id)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"hotline\"";
        return Task.CompletedTask;
    }
}

public static class AdminClaims
{
    public const string TokenId = "hotline:token";
    public const string Stamp = "hotline:stamp";
}
