using System.Net;
using Hotline.Admin.Audit;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class TrunkApiTests
{
    [Fact]
    public async Task Bad_trunk_settings_are_refused_naming_each_field()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var response = await admin.PostJson("/api/trunk-config", new
        {
            name = "carrier one", host = "", port = 70000, allowedSources = new[] { "10.0.0.0/8", "not-an-address" }, maxCallsPerMinute = -1, register = true,
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Json()).GetProperty("errors");
        foreach (var field in new[] { "Name", "Host", "Port", "AllowedSources", "MaxCallsPerMinute", "Username" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} not named in {errors}");
        Assert.Contains("not-an-address", errors.GetProperty("AllowedSources")[0].GetString());
        Assert.Empty(host.Services.GetRequiredService<ITrunkRepository>().List());
    }

    [Fact]
    public async Task A_trunk_is_created_changed_and_deleted_with_the_password_never_shown_or_audited()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var created = await admin.PostJson("/api/trunk-config", new
        {
            name = "unicom", host = "203.0.113.10", port = 5060, transport = "Udp", username = "075512345", password = "carrier-secret-9", register = true,
            allowedSources = new[] { "203.0.113.0/24" }, maxConcurrentCalls = 30, maxCallsPerMinute = 60,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("carrier-secret-9", body);
        Assert.Contains("\"hasPassword\":true", body);
        var repo = host.Services.GetRequiredService<ITrunkRepository>();
        Assert.Equal("carrier-secret-9", repo.Secret("unicom"));
        Assert.Equal("admin", repo.Find("unicom")!.Source);

        using var supervisor = host.As(Roles.Supervisor);
        var list = await (await supervisor.GetAsync("/api/trunk-config", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"transport\":\"Udp\"", list);
        Assert.DoesNotContain("carrier-secret-9", list);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.DeleteAsync("/api/trunk-config/unicom", TestContext.Current.CancellationToken)).StatusCode);

        // A change without a password keeps the stored one.
        using var changed = await admin.PutJson("/api/trunk-config/unicom", new
        {
            name = "unicom", host = "203.0.113.11", port = 5060, username = "075512345", register = true, allowedSources = new[] { "203.0.113.0/24" }, maxConcurrentCalls = 10,
        });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("carrier-secret-9", repo.Secret("unicom"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/trunk-config/unicom", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Null(repo.Find("unicom"));

        var entries = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "trunk"));
        Assert.Equal(["trunk.delete", "trunk.update", "trunk.create"], entries.Select(e => e.Action));
        Assert.Contains(entries[2].Changes, c => c.Field == "Password" && c.New == AuditLog.Masked);
        Assert.Contains(entries[1].Changes, c => c.Field == "Host" && c.Old == "203.0.113.10" && c.New == "203.0.113.11");
        Assert.DoesNotContain(entries[1].Changes, c => c.Field == "Password");
        Assert.All(entries.SelectMany(e => e.Changes), c => Assert.NotEqual("carrier-secret-9", c.New));
    }

    [Fact]
    public async Task Registering_needs_a_password_and_names_are_unique()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var noPassword = await admin.PostJson("/api/trunk-config", new { name = "t1", host = "203.0.113.10", port = 5060, username = "u1", register = true });
        Assert.True((await noPassword.Json()).GetProperty("errors").TryGetProperty("Password", out _));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/trunk-config", new { name = "t1", host = "203.0.113.10", port = 5060 })).StatusCode);
        using var again = await admin.PostJson("/api/trunk-config", new { name = "t1", host = "203.0.113.12", port = 5060 });
        Assert.Contains("already exists", (await again.Json()).GetProperty("errors").GetProperty("Name")[0].GetString());
    }

    [Theory]
    [InlineData("trunk:Host '' must be a host name or an IP address", "Host", "'' must be a host name or an IP address")]
    [InlineData("trunk:AllowedSources:1 'x' is not an IP address, address:port or CIDR network", "AllowedSources", "'x' is not an IP address, address:port or CIDR network")]
    [InlineData("Trunks:3:Port 0 must be between 1 and 65535", "Port", "0 must be between 1 and 65535")]
    public void Trunk_problems_are_keyed_by_their_field(string problem, string field, string message)
    {
        var errors = TrunkService.Errors([problem]);
        Assert.Equal(message, Assert.Single(errors[field]));
    }
}
