using Hotline.Admin.Services;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline.Admin.Backup;

/// <summary>A scheduled archive on disk.</summary>
public sealed record ScheduledBackup(string Name, long Size, DateTimeOffset Created);

/// <summary>
/// Writes a backup every day at the configured local time into the data directory's backup folder and
/// keeps the newest <see cref="BackupScheduleOptions.Retain"/> of them.
/// </summary>
public sealed class BackupScheduler(BackupService backups, SystemSettings settings, TimeProvider time, ILogger<BackupScheduler> logger) : BackgroundService
{
    private const string Prefix = "hotline-";
    private CancellationTokenSource? _wake;

    public string Folder => Path.Combine(backups.DataDirectory, settings.BackupSchedule().Folder);

    public IReadOnlyList<ScheduledBackup> List()
    {
        if (!Directory.Exists(Folder)) return [];
        return new DirectoryInfo(Folder).EnumerateFiles(Prefix + "*.zip")
            .Select(f => new ScheduledBackup(f.Name, f.Length, new DateTimeOffset(f.LastWriteTimeUtc, TimeSpan.Zero)))
            .OrderByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The full path of a scheduled archive by name, or null (names are checked: no paths).</summary>
    public string? PathOf(string name)
    {
        if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(".zip", StringComparison.Ordinal) || name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..")) return null;
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? path : null;
    }

    /// <summary>The next run after <paramref name="now"/> for a daily time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset NextRun(DateTimeOffset now, TimeOnly at, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var candidate = new DateTime(DateOnly.FromDateTime(local.DateTime), at, DateTimeKind.Unspecified);
        if (candidate <= local.DateTime) candidate = candidate.AddDays(1);
        return new DateTimeOffset(candidate, zone.GetUtcOffset(candidate));
    }

    /// <summary>Writes one scheduled archive now and prunes old ones; returns its name.</summary>
    public async Task<string> RunOnceAsync(CancellationToken cancel)
    {
        var schedule = settings.BackupSchedule();
        Directory.CreateDirectory(Folder);
        var name = $"{Prefix}{TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone):yyyyMMdd-HHmmss}.zip";
        var path = Path.Combine(Folder, name);
        var partial = path + ".partial";
        await using (var file = File.Create(partial))
        {
            await backups.WriteAsync(file, schedule.IncludeRecordings, new Actor("scheduler", null), cancel);
        }
        File.Move(partial, path, overwrite: true);
        foreach (var old in List().Skip(schedule.Retain)) File.Delete(Path.Combine(Folder, old.Name));
        return name;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        settings.Changed += Wake;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var schedule = settings.BackupSchedule();
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stop);
                _wake = wake;
                var delay = schedule.Enabled ? NextRun(time.GetUtcNow(), schedule.TimeOfDay(), time.LocalTimeZone) - time.GetUtcNow() : Timeout.InfiniteTimeSpan;
                try
                {
                    await Task.Delay(delay, time, wake.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    continue; // the schedule changed
                }
                try
                {
                    var name = await RunOnceAsync(stop);
                    logger.LogInformation("scheduled backup {Name} written", name);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "scheduled backup failed");
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            settings.Changed -= Wake;
        }
    }

    private void Wake()
    {
        try
        {
            _wake?.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
