namespace Hotline.Admin.Security;

/// <summary>The panel's roles, from most to least powerful.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    /// <summary>操作员: an operator at a desk phone.</summary>
    public const string Agent = "agent";

    public static readonly string[] All = [Admin, Supervisor, Agent];

    public static bool IsRole(string? role) => role is Admin or Supervisor or Agent;
}

/// <summary>
/// Authorization policies; every page and API route names one. Each admits a set of roles:
/// Monitor (all roles) ⊃ Supervise (supervisor, admin) ⊃ Admin.
/// </summary>
public static class Policies
{
    /// <summary>Watch: dashboard, registrations, live calls.</summary>
    public const string Monitor = "monitor";
    /// <summary>Supervise: hang up calls, call records and recordings, statistics, read extensions.</summary>
    public const string Supervise = "supervise";
    /// <summary>Configure: extensions, users, tokens, system, audit, backup.</summary>
    public const string Admin = "admin";

    public static string[] RolesFor(string policy) => policy switch
    {
        Monitor => [Roles.Admin, Roles.Supervisor, Roles.Agent],
        Supervise => [Roles.Admin, Roles.Supervisor],
        Admin => [Roles.Admin],
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown policy"),
    };
}
