using Hotline.Admin.Audit;
using Hotline.Switch.Api;
using Microsoft.Extensions.Configuration;

namespace Hotline.Admin.Services;

/// <summary>One effective configuration value; secrets are masked.</summary>
public sealed record ConfigEntry(string Key, string? Value);

/// <summary>
/// The system page: the effective configuration (read-only: the switch reads it at start), and the
/// settings that take effect at run time, kept in the store ("settings" collection) and audited.
/// </summary>
public sealed class SystemSettings
{
    private const string Mask = "******";
    private static readonly string[] s_sections = ["Sip", "Storage", "Security", "Registrar", "Calls", "Media", "Trunks", "Routes", "Admin", "Extensions"];
    private static readonly string[] s_secretWords = ["password", "secret", "token", "pass", "key"];

    private readonly IConfiguration _configuration;
    private readonly IDocumentCollection<SettingsDocument> _settings;
    private readonly AuditLog _audit;
    private readonly AdminOptions _defaults;
    private readonly Lock _lock = new();

    public SystemSettings(IConfiguration configuration, IDocumentStore store, AuditLog audit, AdminOptions defaults)
    {
        _configuration = configuration;
        _settings = store.Collection<SettingsDocument>("settings");
        _audit = audit;
        _defaults = defaults;
    }

    /// <summary>Raised after the backup schedule changed.</summary>
    public event Action? Changed;

    public IReadOnlyList<ConfigEntry> EffectiveConfiguration()
    {
        var entries = new List<ConfigEntry>();
        foreach (var name in s_sections)
        {
            foreach (var (key, value) in _configuration.GetSection(name).AsEnumerable(makePathsRelative: false))
            {
                if (value is null) continue;
                entries.Add(new ConfigEntry(key, IsSecret(key) ? Mask : value));
            }
        }
        return entries.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
    }

    public static bool IsSecret(string key)
    {
        var last = key[(key.LastIndexOf(':') + 1)..];
        return s_secretWords.Any(w => last.Contains(w, StringComparison.OrdinalIgnoreCase));
    }

    public BackupScheduleOptions BackupSchedule()
    {
        var doc = _settings.Find(SettingsDocument.BackupId);
        if (doc is null) return Copy(_defaults.Backup);
        return new BackupScheduleOptions
        {
            Enabled = doc.Enabled, DailyAt = doc.DailyAt ?? _defaults.Backup.DailyAt, Retain = doc.Retain, IncludeRecordings = doc.IncludeRecordings,
            Folder = doc.Folder ?? _defaults.Backup.Folder,
        };
    }

    public Outcome<BackupScheduleOptions> SetBackupSchedule(BackupScheduleOptions wanted, Actor actor)
    {
        var errors = wanted.Problems();
        if (errors.Count > 0) return Outcome<BackupScheduleOptions>.Invalid(errors);
        lock (_lock)
        {
            var before = BackupSchedule();
            _settings.Upsert(new SettingsDocument
            {
                Id = SettingsDocument.BackupId, Enabled = wanted.Enabled, DailyAt = wanted.DailyAt, Retain = wanted.Retain,
                IncludeRecordings = wanted.IncludeRecordings, Folder = wanted.Folder,
            });
            _audit.Write(actor.Name, "settings.backup", "backup schedule", AuditLog.Diff(Describe(before), Describe(wanted)), actor.Address);
        }
        Changed?.Invoke();
        return Copy(wanted);
    }

    private static Dictionary<string, string?> Describe(BackupScheduleOptions o) => new()
    {
        ["Enabled"] = o.Enabled ? "true" : "false", ["DailyAt"] = o.DailyAt, ["Retain"] = o.Retain.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["IncludeRecordings"] = o.IncludeRecordings ? "true" : "false", ["Folder"] = o.Folder,
    };

    private static BackupScheduleOptions Copy(BackupScheduleOptions o) => new()
    {
        Enabled = o.Enabled, DailyAt = o.DailyAt, Retain = o.Retain, IncludeRecordings = o.IncludeRecordings, Folder = o.Folder,
    };

    private sealed class SettingsDocument
    {
        public const string BackupId = "backup";
        public string Id { get; set; } = "";
        public bool Enabled { get; set; }
        public string? DailyAt { get; set; }
        public int Retain { get; set; }
        public bool IncludeRecordings { get; set; }
        public string? Folder { get; set; }
    }
}
