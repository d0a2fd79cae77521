using System.Net;
using Hotline.Admin.Audit;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class ExtensionApiTests
{
    [Fact]
    public async Task Create_rejects_bad_input_naming_each_wrong_field()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var response = await admin.PostJson("/api/extensions", new ExtensionInput("12a", "ok", "short", OutboundClass: "galactic"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Json()).GetProperty("errors");
        Assert.Contains("digits", errors.GetProperty("Number")[0].GetString());
        Assert.Contains("8 characters", errors.GetProperty("Password")[0].GetString());
        Assert.Contains("internal, local, national or international", errors.GetProperty("OutboundClass")[0].GetString());
        Assert.False(errors.TryGetProperty("DisplayName", out _));
        Assert.Empty(host.Services.GetRequiredService<IExtensionRepository>().List());
    }

    [Fact]
    public async Task Create_update_delete_are_audited_with_old_and_new_values_and_never_the_password()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var created = await admin.PostJson("/api/extensions", new ExtensionInput("2001", "Front desk", "Secret-pass-2001"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ext = host.Services.GetRequiredService<IExtensionRepository>().Find("2001")!;
        Assert.Equal("admin", ext.Source);
        Assert.Equal(Switch.Auth.DigestHash.Ha1(Switch.Auth.DigestAlgorithm.Md5, "2001", "hotline", "Secret-pass-2001"), ext.Ha1Md5);

        using var updated = await admin.PutJson("/api/extensions/2001", new ExtensionInput("2001", "Reception", null, Record: false, OutboundClass: "local"));
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var after = host.Services.GetRequiredService<IExtensionRepository>().Find("2001")!;
        Assert.Equal(ext.Ha1Md5, after.Ha1Md5);
        Assert.False(after.Record);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/extensions/2001", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Null(host.Services.GetRequiredService<IExtensionRepository>().Find("2001"));

        var audit = await (await admin.GetAsync("/api/audit?action=extension", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Secret-pass-2001", audit);
        var entries = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "extension"));
        Assert.Equal(["extension.delete", "extension.update", "extension.create"], entries.Select(e => e.Action));
        Assert.All(entries, e => Assert.Equal("token:test-admin", e.Actor));
        var create = entries[2];
        Assert.Contains(create.Changes, c => c.Field == "Password" && c.New == AuditLog.Masked && c.Old is null);
        var update = entries[1];
        Assert.Contains(update.Changes, c => c.Field == "DisplayName" && c.Old == "Front desk" && c.New == "Reception");
        Assert.Contains(update.Changes, c => c.Field == "Record" && c.Old == "true" && c.New == "false");
        Assert.DoesNotContain(update.Changes, c => c.Field == "Password");
    }

    [Fact]
    public async Task Changing_a_configured_extension_makes_it_the_panels()
    {
        await using var host = await AdminHost.StartAsync();
        var repo = host.Services.GetRequiredService<IExtensionRepository>();
        ExtensionSeed.Apply(repo, [new ExtensionConfig { Number = "1001", Name = "Demo", Password = "hotline1001" }], "hotline");
        Assert.Equal("config", repo.Find("1001")!.Source);
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson("/api/extensions/1001", new ExtensionInput("1001", "Desk 1", null))).StatusCode);
        Assert.Equal("admin", repo.Find("1001")!.Source);
        // The configuration file no longer overwrites it.
        ExtensionSeed.Apply(repo, [new ExtensionConfig { Number = "1001", Name = "Demo", Password = "hotline1001" }], "hotline");
        Assert.Equal("Desk 1", repo.Find("1001")!.DisplayName);
    }

    [Fact]
    public async Task Supervisors_read_extensions_and_see_registration_state_but_cannot_change_them()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        await admin.PostJson("/api/extensions", new ExtensionInput("2002", "Desk", "Secret-pass-2002"));
        host.Switch.Register("2002");
        using var supervisor = host.As(Roles.Supervisor);
        var list = await (await supervisor.GetAsync("/api/extensions", TestContext.Current.CancellationToken)).Json();
        var e = Assert.Single(list.EnumerateArray());
        Assert.True(e.GetProperty("registered").GetBoolean());
        Assert.False(e.TryGetProperty("ha1Md5", out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.DeleteAsync("/api/extensions/2002", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Duplicate_numbers_and_unknown_extensions_are_reported()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        await admin.PostJson("/api/extensions", new ExtensionInput("2003", "A", "Secret-pass-2003"));
        using var again = await admin.PostJson("/api/extensions", new ExtensionInput("2003", "B", "Secret-pass-2003"));
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already exists", (await again.Json()).GetProperty("errors").GetProperty("Number")[0].GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutJson("/api/extensions/9999", new ExtensionInput("9999", "x", null))).StatusCode);
    }
}
