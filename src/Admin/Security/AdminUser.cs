namespace Hotline.Admin.Security;

/// <summary>A person who logs in to the panel. Only a salted PBKDF2 hash of the password is kept.</summary>
public sealed class AdminUser
{
    /// <summary>The user name in lower case.</summary>
    public string Id { get; set; } = "";
    public string UserName { get; set; } = "";
    public string? DisplayName { get; set; }
    public string Role { get; set; } = Roles.Agent;
    public string PasswordHash { get; set; } = "";
    public bool Disabled { get; set; }
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset? LastLogin { get; set; }
    /// <summary>Bumped when the password, role or state changes: signs out other sessions (checked on each request).</summary>
    public string Stamp { get; set; } = "";
}

/// <summary>A user as the panel and the API show it (no hash).</summary>
public sealed record UserView(string UserName, string? DisplayName, string Role, bool Disabled, bool Locked, DateTimeOffset? LockedUntil, DateTimeOffset Created, DateTimeOffset? LastLogin);

/// <summary>Create or change a user; a null password leaves it as it is.</summary>
public sealed record UserInput(string UserName, string? DisplayName, string Role, string? Password, bool Disabled = false);
