using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Hotline.Admin.Backup;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Accounts;
using Hotline.Switch.Cdrs;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class BackupTests
{
    private static async Task<byte[]> Download(HttpClient admin, bool recordings)
    {
        using var response = await admin.GetAsync($"/api/backup?recordings={(recordings ? "true" : "false")}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<HttpResponseMessage> Restore(HttpClient admin, byte[] archive)
    {
        var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return await admin.PostAsync("/api/backup/restore", content, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_backup_restores_on_a_fresh_instance_with_its_recordings()
    {
        byte[] archive;
        Cdr cdr;
        await using (var source = await AdminHost.StartAsync())
        {
            using var admin = source.As(Roles.Admin);
            await admin.PostJson("/api/extensions", new ExtensionInput("3001", "Backup me", "Secret-pass-3001"));
            cdr = Seed.Call(source, "1001", "3001", DateTimeOffset.UtcNow, CallDisposition.Answered, extension: "3001", recorded: true);
            archive = await Download(admin, recordings: true);
        }
        await using var fresh = await AdminHost.StartAsync();
        using var freshAdmin = fresh.As(Roles.Admin);
        using var restored = await Restore(freshAdmin, archive);
        Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        Assert.True((await restored.Json()).GetProperty("restored").GetBoolean());

        // The extension is back in the store and in the repository's cache (what REGISTER reads).
        var ext = fresh.Services.GetRequiredService<IExtensionRepository>().Find("3001");
        Assert.Equal("Backup me", ext!.DisplayName);
        // The call record and its recording moved to this instance's data directory.
        var record = fresh.Services.GetRequiredService<ICdrStore>().Get(cdr.Id)!;
        Assert.StartsWith(fresh.DataDirectory, record.RecordingPath);
        Assert.Equal(Seed.Wav(), await File.ReadAllBytesAsync(record.RecordingPath!, TestContext.Current.CancellationToken));
        // Users came with the archive: the source's API tokens work here now, this instance's own are gone.
        Assert.Equal(HttpStatusCode.Unauthorized, (await freshAdmin.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode);
        var (_, login) = await fresh.LoginAsync("admin", AdminHost.AdminPassword);
        Assert.Equal("/", login.Headers.Location!.OriginalString);
        Assert.Contains(fresh.Services.GetRequiredService<Audit.AuditLog>().Search(new Audit.AuditQuery(Action: "backup.restore")), e => e.Action == "backup.restore");
    }

    [Fact]
    public async Task A_corrupted_archive_is_refused_and_current_data_is_untouched()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        await admin.PostJson("/api/extensions", new ExtensionInput("3002", "Before", "Secret-pass-3002"));
        var archive = await Download(admin, recordings: false);
        await admin.PostJson("/api/extensions", new ExtensionInput("3003", "After", "Secret-pass-3003"));

        // Flip bytes in the middle of the archive: entries fail their checksums or the zip cannot be read.
        var corrupted = (byte[])archive.Clone();
        for (var i = corrupted.Length / 3; i < corrupted.Length / 3 + 64; i++) corrupted[i] ^= 0x5A;
        await AssertRefused(admin, corrupted);
        await AssertRefused(admin, archive[..(archive.Length / 2)]);
        await AssertRefused(admin, "not a zip at all"u8.ToArray());
        await AssertRefused(admin, Rewrite(archive, "db/extensions.json", "[{\"_id\":\"12ab\"}]", fixManifest: true));
        await AssertRefused(admin, Rewrite(archive, "db/extensions.json", "[{\"_id\":\"3002\"}]", fixManifest: false));
        await AssertRefused(admin, AddEntry(archive, "data/../../escape.txt"));

        var repo = host.Services.GetRequiredService<IExtensionRepository>();
        Assert.NotNull(repo.Find("3002"));
        Assert.NotNull(repo.Find("3003"));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me", TestContext.Current.CancellationToken)).StatusCode);

        // The untouched archive still restores: 3003 (made after it) goes away.
        Assert.Equal(HttpStatusCode.OK, (await Restore(admin, archive)).StatusCode);
        Assert.NotNull(repo.Find("3002"));
        Assert.Null(repo.Find("3003"));
    }

    private static async Task AssertRefused(HttpClient admin, byte[] archive)
    {
        using var response = await Restore(admin, archive);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").GetProperty("archive").GetArrayLength() > 0);
    }

    /// <summary>The archive with one entry's content replaced, and the manifest's checksum updated to match when asked.</summary>
    private static byte[] Rewrite(byte[] archive, string entry, string content, bool fixManifest)
    {
        var copy = new MemoryStream();
        copy.Write(archive);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            zip.GetEntry(entry)!.Delete();
            using (var w = new StreamWriter(zip.CreateEntry(entry).Open())) w.Write(content);
            if (fixManifest)
            {
                var manifestEntry = zip.GetEntry(BackupManifest.EntryName)!;
                string manifest;
                using (var r = new StreamReader(manifestEntry.Open())) manifest = r.ReadToEnd();
                var node = System.Text.Json.Nodes.JsonNode.Parse(manifest)!;
                foreach (var c in node["collections"]!.AsArray())
                {
                    if ("db/" + c!["name"]!.GetValue<string>() + ".json" != entry) continue;
                    c["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
                    c["count"] = 1;
                }
                manifestEntry.Delete();
                using var w2 = new StreamWriter(zip.CreateEntry(BackupManifest.EntryName).Open());
                w2.Write(node.ToJsonString());
            }
        }
        return copy.ToArray();
    }

    private static byte[] AddEntry(byte[] archive, string name)
    {
        var copy = new MemoryStream();
        copy.Write(archive);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        using (var w = new StreamWriter(zip.CreateEntry(name).Open())) w.Write("x");
        return copy.ToArray();
    }

    [Fact]
    public async Task Scheduled_backups_keep_the_newest_and_validate_their_settings()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var bad = await admin.PutJson("/api/system/backup", new BackupScheduleOptions { DailyAt = "25:99", Retain = 0, Folder = "../x" });
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("DailyAt", out _));
        Assert.True(errors.TryGetProperty("Retain", out _));
        Assert.True(errors.TryGetProperty("Folder", out _));
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson("/api/system/backup", new BackupScheduleOptions { Enabled = false, DailyAt = "02:30", Retain = 2 })).StatusCode);
        var scheduler = host.Services.GetRequiredService<BackupScheduler>();
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            names.Add(await scheduler.RunOnceAsync(TestContext.Current.CancellationToken));
            await Task.Delay(1100, TestContext.Current.CancellationToken); // archive names carry the second
        }
        var kept = scheduler.List().Select(b => b.Name).ToList();
        Assert.Equal(names.Skip(1).Reverse(), kept);
        using var file = await admin.GetAsync($"/api/backup/scheduled/{kept[0]}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/backup/scheduled/..%2Fhotline.db", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Theory]
    [InlineData("2026-11-02T01:00:00+00:00", "03:00", "2026-11-02T03:00:00+00:00")]
    [InlineData("2026-11-02T03:00:00+00:00", "03:00", "2026-11-03T03:00:00+00:00")]
    [InlineData("2026-11-02T23:59:00+00:00", "00:00", "2026-11-03T00:00:00+00:00")]
    public void The_next_run_is_the_next_occurrence_of_the_daily_time(string now, string at, string expected)
    {
        var next = BackupScheduler.NextRun(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(at, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.Utc);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }
}
