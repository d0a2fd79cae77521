using System.Security.Claims;
using Hotline.Admin.Localization;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Hotline.Admin.Components.Shared;

/// <summary>What every panel page needs: the texts of the user's language, the user, and the actor for audit entries.</summary>
public abstract class AdminPage : ComponentBase
{
    [CascadingParameter] public Texts T { get; set; } = Texts.For(Texts.Default);

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject] private IAuthorizationService Authorization { get; set; } = default!;

    protected ClaimsPrincipal User { get; private set; } = new();

    protected Actor Actor => new(User.Identity?.Name ?? "anonymous", "panel");

    protected override async Task OnInitializedAsync()
    {
        if (AuthenticationState is not null) User = (await AuthenticationState).User;
        await OnPageInitializedAsync();
    }

    protected virtual Task OnPageInitializedAsync() => Task.CompletedTask;

    protected async Task<bool> Allowed(string policy) => (await Authorization.AuthorizeAsync(User, policy)).Succeeded;

    protected static string Duration(int seconds) => seconds >= 3600 ? $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}" : $"{seconds / 60}:{seconds % 60:00}";

    /// <summary>
    /// The label of a field named by a validation message: "Field.&lt;name&gt;" when the texts have it, else the label of
    /// its first part with the path after it ("节假日 (holidays[0])"), else the name itself.
    /// </summary>
    protected string Label(string field)
    {
        if (T.Has("Field." + field)) return T["Field." + field];
        var root = field.Split('.', '[')[0];
        if (root.Length == 0) return field;
        var pascal = char.ToUpperInvariant(root[0]) + root[1..];
        foreach (var key in new[] { "Field." + root, "Field." + pascal })
        {
            if (T.Has(key)) return field == root ? T[key] : $"{T[key]} ({field})";
        }
        return field;
    }

    protected static string Local(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
