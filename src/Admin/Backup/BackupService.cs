using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Switch.Api;
using Hotline.Switch.Store;
using Microsoft.Extensions.Configuration;

namespace Hotline.Admin.Backup;

/// <summary>
/// Backup archives (zip): the store as a consistent JSON dump (one read transaction), the configuration
/// files, and optionally the files under the data directory (recordings). A restore checks the whole
/// archive — manifest, every entry's SHA-256, every document — before it changes anything, then replaces
/// the store in one transaction.
/// </summary>
public sealed class BackupService
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly IStoreArchive _store;
    private readonly StorageOptions _storage;
    private readonly IConfiguration _configuration;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public BackupService(IStoreArchive store, StorageOptions storage, IConfiguration configuration, AuditLog audit, TimeProvider time)
    {
        _store = store;
        _storage = storage;
        _configuration = configuration;
        _audit = audit;
        _time = time;
    }

    public string DataDirectory => Path.GetFullPath(_storage.DataDirectory);

    /// <summary>Writes an archive to <paramref name="output"/> (which need not be seekable).</summary>
    public async Task WriteAsync(Stream output, bool includeRecordings, Actor actor, CancellationToken cancel)
    {
        await _gate.WaitAsync(cancel);
        try
        {
            var manifest = new BackupManifest { Created = _time.GetUtcNow(), DataDirectory = DataDirectory, IncludesRecordings = includeRecordings };
            using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var dump in _store.Export())
                {
                    var bytes = System.Text.Encoding.UTF8.GetBytes(dump.Json);
                    var collection = new BackupCollection { Name = dump.Name, Count = dump.Count, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)) };
                    await WriteEntryAsync(zip, collection.Entry, new MemoryStream(bytes), cancel);
                    manifest.Collections.Add(collection);
                }
                foreach (var (name, path) in ConfigurationFiles())
                {
                    await using var file = File.OpenRead(path);
                    manifest.Files.Add(await WriteFileAsync(zip, "config/" + name, file, cancel));
                }
                if (includeRecordings)
                {
                    foreach (var path in DataFiles())
                    {
                        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                        manifest.Files.Add(await WriteFileAsync(zip, "data/" + Path.GetRelativePath(DataDirectory, path).Replace('\\', '/'), file, cancel));
                    }
                }
                await WriteEntryAsync(zip, BackupManifest.EntryName, new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, s_json)), cancel);
            }
            _audit.Write(actor.Name, "backup.create", includeRecordings ? "store+config+recordings" : "store+config",
                [new AuditChange { Field = "Documents", New = manifest.Collections.Sum(c => c.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                 new AuditChange { Field = "Files", New = manifest.Files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }], actor.Address);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Checks the archive fully, then restores it; refuses (changing nothing) when anything is wrong.</summary>
    public async Task<RestoreResult> RestoreAsync(Stream archive, Actor actor, CancellationToken cancel)
    {
        await _gate.WaitAsync(cancel);
        var staging = Path.Combine(DataDirectory, $".restore-{Guid.NewGuid():N}");
        try
        {
            // A zip is read from its end: keep a seekable copy.
            await using var copy = new FileStream(Path.Combine(Path.GetTempPath(), $"hotline-restore-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 81920, FileOptions.DeleteOnClose);
            await archive.CopyToAsync(copy, cancel);
            copy.Position = 0;
            var (problems, manifest, dumps, zip) = await CheckAsync(copy, cancel);
            using var _ = zip;
            if (problems.Count > 0 || manifest is null || zip is null)
            {
                _audit.Write(actor.Name, "backup.restore.refused", "archive", problems.Take(5).Select(p => new AuditChange { Field = "Problem", New = p }), actor.Address);
                return new RestoreResult(false, problems);
            }
            // Stage the files first, so a full disk fails before the store is touched.
            Directory.CreateDirectory(staging);
            var staged = new List<(string Staged, string Target)>();
            foreach (var file in manifest.Files)
            {
                var target = file.Path.StartsWith("config/", StringComparison.Ordinal)
                    ? Path.Combine(DataDirectory, "restored-config", file.Path["config/".Length..])
                    : Path.Combine(DataDirectory, file.Path["data/".Length..]);
                var stagedPath = Path.Combine(staging, staged.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await using (var entry = zip.GetEntry(file.Path)!.Open())
                await using (var output = File.Create(stagedPath))
                {
                    await entry.CopyToAsync(output, cancel);
                }
                staged.Add((stagedPath, target));
            }
            var moved = RelocatePaths(dumps, manifest.DataDirectory);
            _store.Replace(moved);
            foreach (var (from, to) in staged)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Move(from, to, overwrite: true);
            }
            var documents = dumps.Sum(d => d.Count);
            _audit.Write(actor.Name, "backup.restore", $"archive of {manifest.Created:O}",
                [new AuditChange { Field = "Documents", New = documents.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                 new AuditChange { Field = "Files", New = staged.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }], actor.Address);
            return new RestoreResult(true, [], documents, staged.Count);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            _gate.Release();
        }
    }

    /// <summary>Everything a restore checks before it touches anything; the open archive is returned to read the files from.</summary>
    internal async Task<(List<string> Problems, BackupManifest? Manifest, List<CollectionDump> Dumps, ZipArchive? Zip)> CheckAsync(Stream seekable, CancellationToken cancel)
    {
        var problems = new List<string>();
        var dumps = new List<CollectionDump>();
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            return ([$"not a zip archive: {e.Message}"], null, dumps, null);
        }
        BackupManifest? manifest = null;
        try
        {
            var manifestEntry = zip.GetEntry(BackupManifest.EntryName);
            if (manifestEntry is null) problems.Add("manifest.json is missing");
            else
            {
                await using var s = manifestEntry.Open();
                manifest = await JsonSerializer.DeserializeAsync<BackupManifest>(s, s_json, cancel);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException)
        {
            problems.Add($"manifest.json is unreadable: {e.Message}");
        }
        if (manifest is null)
        {
            if (problems.Count == 0) problems.Add("manifest.json is empty");
            return (problems, null, dumps, zip);
        }
        if (manifest.Format != BackupManifest.CurrentFormat) problems.Add($"format '{manifest.Format}' is not {BackupManifest.CurrentFormat}");
        var expected = new HashSet<string>(StringComparer.Ordinal) { BackupManifest.EntryName };
        if (manifest.Collections.Count == 0) problems.Add("the archive holds no store collections");
        foreach (var c in manifest.Collections)
        {
            expected.Add(c.Entry);
            var bytes = await ReadVerifiedAsync(zip, c.Entry, c.Sha256, problems, cancel);
            if (bytes is not null) dumps.Add(new CollectionDump(c.Name, c.Count, System.Text.Encoding.UTF8.GetString(bytes)));
        }
        foreach (var f in manifest.Files)
        {
            expected.Add(f.Path);
            if (!SafeEntryPath(f.Path))
            {
                problems.Add($"{f.Path}: not a safe path");
                continue;
            }
            var entry = zip.GetEntry(f.Path);
            if (entry is null)
            {
                problems.Add($"{f.Path}: missing");
                continue;
            }
            try
            {
                await using var s = entry.Open();
                using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                long size = 0;
                int n;
                while ((n = await s.ReadAsync(buffer, cancel)) > 0)
                {
                    sha.AppendData(buffer, 0, n);
                    size += n;
                }
                if (size != f.Size || Convert.ToHexStringLower(sha.GetHashAndReset()) != f.Sha256) problems.Add($"{f.Path}: content does not match the manifest");
            }
            catch (InvalidDataException e)
            {
                problems.Add($"{f.Path}: corrupted ({e.Message})");
            }
        }
        foreach (var entry in zip.Entries)
        {
            if (!expected.Contains(entry.FullName)) problems.Add($"{entry.FullName}: not listed in the manifest");
        }
        if (dumps.Count == manifest.Collections.Count) problems.AddRange(_store.Check(dumps));
        return (problems, manifest, dumps, zip);
    }

    private static async Task<byte[]?> ReadVerifiedAsync(ZipArchive zip, string name, string sha256, List<string> problems, CancellationToken cancel)
    {
        var entry = zip.GetEntry(name);
        if (entry is null)
        {
            problems.Add($"{name}: missing");
            return null;
        }
        try
        {
            await using var s = entry.Open();
            using var buffer = new MemoryStream();
            await s.CopyToAsync(buffer, cancel);
            var bytes = buffer.ToArray();
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != sha256)
            {
                problems.Add($"{name}: content does not match the manifest");
                return null;
            }
            return bytes;
        }
        catch (InvalidDataException e)
        {
            problems.Add($"{name}: corrupted ({e.Message})");
            return null;
        }
    }

    /// <summary>Only "config/name" and "data/relative/path" without "..": nothing may be written outside the data directory.</summary>
    private static bool SafeEntryPath(string path)
    {
        if (path.Contains('\\') || path.Contains(':') || path.StartsWith('/')) return false;
        var parts = path.Split('/');
        if (parts.Any(p => p is "" or "." or "..")) return false;
        return (parts[0] == "config" && parts.Length == 2) || (parts[0] == "data" && parts.Length >= 2 && !parts[1].StartsWith(".restore-", StringComparison.Ordinal));
    }

    /// <summary>Records name files by absolute path: move those under the old data directory to this one.</summary>
    private List<CollectionDump> RelocatePaths(List<CollectionDump> dumps, string oldDirectory)
    {
        if (string.IsNullOrEmpty(oldDirectory) || oldDirectory == DataDirectory) return dumps;
        var from = JsonEncodedText.Encode(oldDirectory.TrimEnd('/') + "/").ToString();
        var to = JsonEncodedText.Encode(DataDirectory.TrimEnd('/') + "/").ToString();
        return dumps.Select(d => d with { Json = d.Json.Replace(from, to, StringComparison.Ordinal) }).ToList();
    }

    private IEnumerable<(string Name, string Path)> ConfigurationFiles()
    {
        var main = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (File.Exists(main)) yield return ("appsettings.json", main);
        if (_configuration["ConfigFile"] is { Length: > 0 } site && File.Exists(Path.GetFullPath(site))) yield return ("site.json", Path.GetFullPath(site));
    }

    /// <summary>Files under the data directory other than the store itself, backups and restore staging.</summary>
    private IEnumerable<string> DataFiles()
    {
        var root = DataDirectory;
        if (!Directory.Exists(root)) yield break;
        var backups = Path.Combine(root, BackupFolderName()) + Path.DirectorySeparatorChar;
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(root, path);
            if (Path.GetDirectoryName(relative) is "" or null && (relative.EndsWith(".db", StringComparison.Ordinal) || relative.Contains("-log.db", StringComparison.Ordinal))) continue;
            if (path.StartsWith(backups, StringComparison.Ordinal) || relative.StartsWith(".restore-", StringComparison.Ordinal) || relative.StartsWith("restored-config", StringComparison.Ordinal)) continue;
            yield return path;
        }
    }

    private string BackupFolderName() => _configuration["Admin:Backup:Folder"] is { Length: > 0 } f ? f : "backups";

    private static async Task WriteEntryAsync(ZipArchive zip, string name, Stream content, CancellationToken cancel)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var s = entry.Open();
        await content.CopyToAsync(s, cancel);
    }

    private static async Task<BackupFile> WriteFileAsync(ZipArchive zip, string name, Stream content, CancellationToken cancel)
    {
        var entry = zip.CreateEntry(name, name.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.Fastest : CompressionLevel.Optimal);
        await using var s = entry.Open();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long size = 0;
        int n;
        while ((n = await content.ReadAsync(buffer, cancel)) > 0)
        {
            sha.AppendData(buffer, 0, n);
            await s.WriteAsync(buffer.AsMemory(0, n), cancel);
            size += n;
        }
        return new BackupFile { Path = name, Size = size, Sha256 = Convert.ToHexStringLower(sha.GetHashAndReset()) };
    }
}
