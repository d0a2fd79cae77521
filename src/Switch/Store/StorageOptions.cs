namespace Hotline.Switch.Store;

/// <summary>Configuration section "Storage".</summary>
public sealed class StorageOptions
{
    /// <summary>Everything durable lives under this folder: the database file, recordings, voicemail, prompts.</summary>
    public string DataDirectory { get; set; } = "data";

    public string DatabasePath => Path.Combine(Path.GetFullPath(DataDirectory), "hotline.db");

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new InvalidOperationException("Storage:DataDirectory must not be empty");
    }
}
