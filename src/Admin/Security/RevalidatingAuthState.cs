using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;

namespace Hotline.Admin.Security;

/// <summary>
/// A live panel page (a Blazor circuit) outlasts the request that opened it: every minute the user is
/// checked again, so a disabled or deleted user, a role change or a password change ends open pages too.
/// </summary>
internal sealed class RevalidatingAuthState(ILoggerFactory loggers, UserService users) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var user = state.User;
        if (user.FindFirst(AdminClaims.TokenId) is not null) return Task.FromResult(true);
        var name = user.Identity?.Name;
        return Task.FromResult(name is not null && users.IsCurrent(name, user.FindFirstValue(ClaimTypes.Role), user.FindFirstValue(AdminClaims.Stamp)));
    }
}
