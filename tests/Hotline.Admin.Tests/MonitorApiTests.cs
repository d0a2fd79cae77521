using System.Net;
using Hotline.Admin.Monitoring;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class MonitorApiTests
{
    [Fact]
    public async Task Registrations_calls_and_status_come_from_the_switch()
    {
        await using var host = await AdminHost.StartAsync();
        host.Switch.Register("1001");
        host.Switch.SetCalls(new LiveCallView("c1", "1001", "1002", "Answered", DateTimeOffset.UtcNow.AddSeconds(-42), null,
            [new LiveLegView("caller", "1001", "PCMA", 100, 100, 0)]));
        using var agent = host.As(Roles.Agent);
        var regs = await (await agent.GetAsync("/api/registrations", TestContext.Current.CancellationToken)).Json();
        Assert.Equal("1001", regs[0].GetProperty("aor").GetString());
        var calls = await (await agent.GetAsync("/api/calls", TestContext.Current.CancellationToken)).Json();
        Assert.InRange(calls[0].GetProperty("durationSeconds").GetInt32(), 42, 60);
        Assert.Equal("PCMA", calls[0].GetProperty("legs")[0].GetProperty("codec").GetString());
        var status = await (await agent.GetAsync("/api/status", TestContext.Current.CancellationToken)).Json();
        Assert.Equal(1, status.GetProperty("counters").GetProperty("activeCalls").GetInt32());
    }

    [Fact]
    public async Task A_supervisor_hangs_up_a_call_and_it_is_audited_an_agent_may_not()
    {
        await using var host = await AdminHost.StartAsync();
        host.Switch.SetCalls(new LiveCallView("c9", "1001", "1002", "Answered", DateTimeOffset.UtcNow, null, []));
        using var agent = host.As(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson("/api/calls/c9/hangup", new { reason = "x" })).StatusCode);
        using var supervisor = host.As(Roles.Supervisor);
        Assert.Equal(HttpStatusCode.NoContent, (await supervisor.PostJson("/api/calls/c9/hangup", new { reason = "abusive caller" })).StatusCode);
        Assert.Equal(("c9", "abusive caller"), Assert.Single(host.Switch.HungUp));
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostJson("/api/calls/c9/hangup", new { reason = "again" })).StatusCode);
        var entry = host.Services.GetRequiredService<Audit.AuditLog>().Search(new Audit.AuditQuery(Action: "call.hangup")).Single();
        Assert.Equal("token:test-supervisor", entry.Actor);
    }

    [Fact]
    public async Task Metrics_are_prometheus_text_behind_auth_and_healthz_is_open()
    {
        await using var host = await AdminHost.StartAsync();
        host.Switch.Register("1001");
        using var anonymous = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode);
        using var health = await anonymous.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var agent = host.As(Roles.Agent);
        using var metrics = await agent.GetAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType!.MediaType);
        var text = await metrics.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE hotline_registrations gauge\nhotline_registrations 1\n", text);
        Assert.Contains("# TYPE hotline_calls_started_total counter\nhotline_calls_started_total 7\n", text);
        Assert.Matches("dotnet_gc_pause_seconds_total [0-9.E-]+\n", text);
        Assert.Contains("dotnet_gc_collections_total{generation=\"0\"}", text);
        Assert.Contains("dotnet_gc_pause_duration_seconds_bucket{le=\"+Inf\"}", text);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches("^[a-z_]+(\\{[a-z]+=\"[^\"]*\"\\})? -?[0-9.E+-]+$", line);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_api()
    {
        await using var host = await AdminHost.StartAsync();
        using var anonymous = host.Anonymous();
        var doc = await (await anonymous.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken)).Json();
        var paths = doc.GetProperty("paths");
        foreach (var path in new[] { "/api/extensions", "/api/cdrs", "/api/cdrs/{id}/recording", "/api/calls/{callId}/hangup", "/api/backup/restore", "/api/stats/totals", "/healthz", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), path);
    }

    [Fact]
    public async Task The_system_page_masks_secrets()
    {
        await using var host = await AdminHost.StartAsync();
        Assert.True(SystemSettings.IsSecret("Extensions:0:Password"));
        Assert.True(SystemSettings.IsSecret("Trunks:1:AuthPassword"));
        Assert.True(SystemSettings.IsSecret("Admin:InitialPassword"));
        Assert.False(SystemSettings.IsSecret("Sip:Port"));
        using var admin = host.As(Roles.Admin);
        var system = await (await admin.GetAsync("/api/system", TestContext.Current.CancellationToken)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(AdminHost.AdminPassword, system);
    }

    [Fact]
    public async Task Live_updates_are_coalesced_and_pushed_to_subscribers()
    {
        await using var host = await AdminHost.StartAsync();
        var live = host.Services.GetRequiredService<LiveUpdates>();
        var renders = 0;
        var first = new TaskCompletionSource();
        using var subscription = live.Subscribe(LiveTopic.Registrations, () =>
        {
            Interlocked.Increment(ref renders);
            first.TrySetResult();
            return Task.CompletedTask;
        });
        for (var i = 0; i < 200; i++) host.Switch.Register($"{1000 + i}");
        await first.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Assert.InRange(Volatile.Read(ref renders), 1, 10);
    }

    [Fact]
    public async Task Trunks_are_listed_with_their_state_and_exported_as_metrics()
    {
        await using var host = await AdminHost.StartAsync();
        host.Switch.TrunkList.Add(new TrunkView("unicom \"main\"", true, true, "Registered", DateTimeOffset.UtcNow.AddMinutes(50), 200, DateTimeOffset.UtcNow, 3, 12, 30, 60));
        host.Switch.TrunkList.Add(new TrunkView("telecom", true, false, null, null, null, null, 0, 0, 0, 0));
        using var agent = host.As(Roles.Agent);
        var trunks = await (await agent.GetAsync("/api/trunks", TestContext.Current.CancellationToken)).Json();
        Assert.Equal(2, trunks.GetArrayLength());
        Assert.Equal("Registered", trunks[0].GetProperty("registration").GetString());
        var text = await agent.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("hotline_trunk_up{trunk=\"unicom \\\"main\\\"\"} 1\n", text);
        Assert.Contains("hotline_trunk_up{trunk=\"telecom\"} 0\n", text);
        Assert.Contains("hotline_trunk_active_calls{trunk=\"telecom\"} 0\n", text);
    }
}
