namespace Hotline.Admin.Backup;

/// <summary>manifest.json of a backup archive: what it holds, with a SHA-256 of every entry.</summary>
public sealed class BackupManifest
{
    public const string CurrentFormat = "hotline-backup/1";
    public const string EntryName = "manifest.json";

    public string Format { get; set; } = CurrentFormat;
    public DateTimeOffset Created { get; set; }
    /// <summary>The data directory of the instance that made it: recording paths in the records are moved from it to the restoring instance's.</summary>
    public string DataDirectory { get; set; } = "";
    public bool IncludesRecordings { get; set; }
    public List<BackupCollection> Collections { get; set; } = [];
    public List<BackupFile> Files { get; set; } = [];
}

public sealed class BackupCollection
{
    public string Name { get; set; } = "";
    public int Count { get; set; }
    public string Sha256 { get; set; } = "";
    public string Entry => $"db/{Name}.json";
}

/// <summary>A file in the archive: "config/…" (configuration files) or "data/…" (recordings and other files under the data directory).</summary>
public sealed class BackupFile
{
    public string Path { get; set; } = "";
    public long Size { get; set; }
    public string Sha256 { get; set; } = "";
}

/// <summary>What a restore did, or why it refused.</summary>
public sealed record RestoreResult(bool Restored, IReadOnlyList<string> Problems, int Documents = 0, int Files = 0);
