using System.Net;
using Hotline.Admin.Audit;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class RouteApiTests
{
    private static async Task<AdminHost> WithTrunkAndExtension()
    {
        var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/trunk-config", new { name = "pstn", host = "203.0.113.10", port = 5060 })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/extensions", new ExtensionInput("1001", "Desk", "Secret-pass-1001"))).StatusCode);
        return host;
    }

    [Fact]
    public async Task Outbound_routes_are_validated_by_field_including_unknown_trunks()
    {
        await using var host = await WithTrunkAndExtension();
        using var admin = host.As(Roles.Admin);
        using var bad = await admin.PostJson("/api/routes/outbound", new { name = "mobile", prefix = "1x", strip = -1, trunks = new[] { "nowhere" } });
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Prefix", out _));
        Assert.True(errors.TryGetProperty("Strip", out _));
        Assert.Contains("nowhere", errors.GetProperty("Trunks")[0].GetString());
        using var ok = await admin.PostJson("/api/routes/outbound", new { name = "mobile", order = 1, prefix = "1", trunks = new[] { "pstn" } });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var route = host.Services.GetRequiredService<IRouteRepository>().FindOutbound("mobile")!;
        Assert.Equal(["pstn"], route.Trunks);
        Assert.Equal("admin", route.Source);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson("/api/routes/outbound/mobile", new { order = 2, prefix = "13", trunks = new[] { "pstn" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/routes/outbound/mobile", TestContext.Current.CancellationToken)).StatusCode);
        var actions = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "route.outbound")).Select(e => e.Action);
        Assert.Equal(["route.outbound.delete", "route.outbound.update", "route.outbound.create"], actions);
    }

    [Fact]
    public async Task Inbound_routes_send_a_did_to_an_existing_destination()
    {
        await using var host = await WithTrunkAndExtension();
        using var admin = host.As(Roles.Admin);
        using var bad = await admin.PostJson("/api/routes/inbound", new { did = "12345", trunk = "ghost", target = "Extension", value = "9999" });
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.Contains("ghost", errors.GetProperty("Trunk")[0].GetString());
        Assert.Contains("9999", errors.GetProperty("Value")[0].GetString());
        using var reject = await admin.PostJson("/api/routes/inbound", new { did = "12345", target = "Reject", value = "200" });
        Assert.True((await reject.Json()).GetProperty("errors").TryGetProperty("Value", out _));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/routes/inbound", new { did = "12345", trunk = "pstn", target = "Extension", value = "1001" })).StatusCode);
        using var supervisor = host.As(Roles.Supervisor);
        var list = await (await supervisor.GetAsync("/api/routes/inbound", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"target\":\"Extension\"", list);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.DeleteAsync("/api/routes/inbound/12345", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/routes/inbound/12345", TestContext.Current.CancellationToken)).StatusCode);
    }
}
