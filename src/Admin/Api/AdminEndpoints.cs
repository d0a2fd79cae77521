using Hotline.Admin.Audit;
using Hotline.Admin.Backup;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hotline.Admin.Api;

/// <summary>Admin-only: users, API tokens, audit log, system parameters, backup and restore.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        users.MapGet("", (UserService s) => Results.Ok(s.List())).WithSummary("Panel users");
        users.MapPost("", (HttpContext http, UserInput input, UserService s) =>
            s.Create(input, http.ActorOf()).ToResult(u => Results.Created($"/api/users/{u.UserName}", u))).WithSummary("Create a user");
        users.MapPut("/{userName}", (HttpContext http, string userName, UserInput input, UserService s) =>
            s.Update(userName, input, http.ActorOf()).ToResult()).WithSummary("Change a user's name, role, state or password");
        users.MapPost("/{userName}/unlock", (HttpContext http, string userName, UserService s) =>
            s.Unlock(userName, http.ActorOf()).ToResult()).WithSummary("Clear a lock-out");
        users.MapDelete("/{userName}", (HttpContext http, string userName, UserService s) =>
            s.Delete(userName, http.ActorOf()).ToResult(_ => Results.NoContent())).WithSummary("Delete a user");

        var tokens = app.MapGroup("/api/tokens").RequireAuthorization(Policies.Admin).WithTags("API tokens");
        tokens.MapGet("", (ApiTokenService s) => Results.Ok(s.List())).WithSummary("API tokens (never their secrets)");
        tokens.MapPost("", (HttpContext http, ApiTokenInput input, ApiTokenService s) =>
            s.Create(input, http.ActorOf()).ToResult(t => Results.Created($"/api/tokens/{t.Info.Id}", t))).WithSummary("Create a token; the secret is in this response only");
        tokens.MapDelete("/{id}", (HttpContext http, string id, ApiTokenService s) =>
            s.Revoke(id, http.ActorOf()).ToResult(_ => Results.NoContent())).WithSummary("Revoke a token");

        app.MapGet("/api/audit", (DateTimeOffset? from, DateTimeOffset? to, string? actor, string? action, int? skip, int? limit, AuditLog audit) =>
        {
            var q = new AuditQuery(from, to, actor, action, skip ?? 0, limit ?? 100);
            if (q.Limit is < 1 or > 1000) return ApiHelpers.Invalid("limit", "must be between 1 and 1000");
            return Results.Ok(new { items = audit.Search(q), total = audit.Count(q) });
        }).RequireAuthorization(Policies.Admin).WithTags("Audit").WithSummary("Audit log: who changed what, when, old and new values");

        var system = app.MapGroup("/api/system").RequireAuthorization(Policies.Admin).WithTags("System");
        system.MapGet("", (SystemSettings s) => Results.Ok(new { configuration = s.EffectiveConfiguration(), backup = s.BackupSchedule() }))
            .WithSummary("Effective configuration (secrets masked) and run-time settings");
        system.MapPut("/backup", (HttpContext http, BackupScheduleOptions input, SystemSettings s) =>
            s.SetBackupSchedule(input, http.ActorOf()).ToResult()).WithSummary("Change the daily backup schedule");

        var backup = app.MapGroup("/api/backup").RequireAuthorization(Policies.Admin).WithTags("Backup");
        backup.MapGet("", async (HttpContext http, bool? recordings, BackupService backups, TimeProvider time) =>
        {
            // ZipArchive writes its central directory synchronously, which Kestrel refuses: build the archive in a temporary file first.
            var temp = new FileStream(Path.Combine(Path.GetTempPath(), $"hotline-backup-{Guid.NewGuid():N}.zip"), FileMode.CreateNew, FileAccess.ReadWrite,
                FileShare.None, 81920, FileOptions.DeleteOnClose);
            await backups.WriteAsync(temp, recordings == true, http.ActorOf(), http.RequestAborted);
            temp.Position = 0;
            return Results.File(temp, "application/zip", $"hotline-{time.GetUtcNow():yyyyMMdd-HHmmss}.zip");
        }).WithSummary("Download an archive of the store and configuration (recordings=true adds the recordings)");
        backup.MapPost("/restore", async (HttpContext http, BackupService backups) =>
        {
            if (http.Request.ContentType is not ("application/zip" or "application/octet-stream"))
                return ApiHelpers.Invalid("archive", "send the archive as the request body with Content-Type application/zip");
            // Archives with recordings are large: lift Kestrel's 30 MB body limit for this admin-only route.
            if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            var result = await backups.RestoreAsync(http.Request.Body, http.ActorOf(), http.RequestAborted);
            return result.Restored ? Results.Ok(result) : Results.ValidationProblem(new Dictionary<string, string[]> { ["archive"] = result.Problems.ToArray() });
        }).WithSummary("Restore an archive: checked fully first; nothing changes when it is refused");
        backup.MapGet("/scheduled", (BackupScheduler scheduler) => Results.Ok(scheduler.List())).WithSummary("Archives written by the daily schedule");
        backup.MapGet("/scheduled/{name}", (string name, BackupScheduler scheduler) =>
            scheduler.PathOf(name) is { } path ? Results.File(path, "application/zip", name) : Results.NotFound()).WithSummary("Download a scheduled archive");
        backup.MapPost("/scheduled", async (BackupScheduler scheduler, CancellationToken cancel) =>
            Results.Ok(new { name = await scheduler.RunOnceAsync(cancel) })).WithSummary("Write a scheduled archive now");
    }
}
