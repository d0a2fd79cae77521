namespace Hotline.Admin;

/// <summary>Configuration section "Admin".</summary>
public sealed class AdminOptions
{
    /// <summary>Where the panel and the REST API listen, e.g. "http://127.0.0.1:8080"; several separated by ';'.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>The first admin's password on first start; when empty one is generated and printed once.</summary>
    public string? InitialPassword { get; set; }

    /// <summary>Failed logins in a row before an account is locked.</summary>
    public int LockoutFailures { get; set; } = 5;

    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Let /metrics be scraped without a token (only when the panel is bound to loopback or a trusted network).</summary>
    public bool MetricsAnonymous { get; set; }

    /// <summary>Defaults of the scheduled backup; the panel can change them at run time.</summary>
    public BackupScheduleOptions Backup { get; set; } = new();

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Urls)) throw new InvalidOperationException("Admin:Urls must not be empty");
        foreach (var url in Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                throw new InvalidOperationException($"Admin:Urls '{url}' is not an http(s) URL");
        }
        if (InitialPassword is { Length: > 0 } p && Security.PasswordRules.Check(p) is { } problem)
            throw new InvalidOperationException($"Admin:InitialPassword {problem}");
        if (LockoutFailures < 1) throw new InvalidOperationException("Admin:LockoutFailures must be at least 1");
        if (LockoutMinutes < 1) throw new InvalidOperationException("Admin:LockoutMinutes must be at least 1");
        Backup.Validate("Admin:Backup");
    }
}

/// <summary>Scheduled daily backups with a retention count.</summary>
public sealed class BackupScheduleOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>Local time of day, "HH:mm".</summary>
    public string DailyAt { get; set; } = "03:00";

    /// <summary>How many scheduled archives are kept (older ones are deleted).</summary>
    public int Retain { get; set; } = 7;

    public bool IncludeRecordings { get; set; }

    /// <summary>Folder under the data directory.</summary>
    public string Folder { get; set; } = "backups";

    public TimeOnly TimeOfDay() => TimeOnly.ParseExact(DailyAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Field name → problem, for the panel and the API.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var errors = new Dictionary<string, string[]>();
        if (!TimeOnly.TryParseExact(DailyAt, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            errors[nameof(DailyAt)] = ["must be a time of day as HH:mm, e.g. 03:00"];
        if (Retain is < 1 or > 365) errors[nameof(Retain)] = ["must be between 1 and 365"];
        if (string.IsNullOrWhiteSpace(Folder) || Path.IsPathRooted(Folder) || Folder.Split('/', '\\').Contains(".."))
            errors[nameof(Folder)] = ["must be a folder name inside the data directory"];
        return errors;
    }

    public void Validate(string section)
    {
        foreach (var (field, problems) in Problems()) throw new InvalidOperationException($"{section}:{field} {problems[0]}");
    }
}
