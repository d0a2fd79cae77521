using System.Net;
using Hotline.Admin.Audit;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Hotline.Switch.Api;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class ContactCentreApiTests
{
    private static object Queue(string number, params string[] members) => new
    {
        number, name = "Citizen hotline", strategy = "LongestIdle", ringTimeoutSeconds = 20, serviceLevelSeconds = 15,
        members = members.Select(a => new { agent = a, weight = 1 }).ToArray(),
    };

    [Theory]
    [InlineData("/api/queues")]
    [InlineData("/api/agents")]
    [InlineData("/api/rooms")]
    [InlineData("/api/conferences")]
    [InlineData("/api/supervision")]
    [InlineData("/api/abandoned")]
    public async Task Contact_centre_settings_need_a_login_and_are_hidden_from_agents(string path)
    {
        await using var host = await AdminHost.StartAsync();
        await host.AssertSupervisorsMayRead(path);
    }

    [Fact]
    public async Task A_queue_is_refused_by_the_fields_that_are_wrong_and_its_changes_audited()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var supervisor = host.As(Roles.Supervisor);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostJson("/api/queues", Queue("8000"))).StatusCode);
        using var unknownMember = await admin.PostJson("/api/queues", Queue("8000", "5001"));
        Assert.Contains("5001", (await unknownMember.Json()).GetProperty("errors").GetProperty("Members")[0].GetString());
        using var badTimers = await admin.PostJson("/api/queues", new { number = "8000", ringTimeoutSeconds = 2, announceEverySeconds = 5, overflow = "Nowhere:1" });
        var errors = (await badTimers.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("RingTimeoutSeconds", out _));
        Assert.True(errors.TryGetProperty("AnnounceEverySeconds", out _));
        Assert.True(errors.TryGetProperty("Overflow", out _));
        Assert.False(errors.TryGetProperty("Number", out _));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/queues", Queue("8000"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson("/api/queues/8000", new { name = "Citizen hotline", ringTimeoutSeconds = 30, overflow = "Voicemail:8000" })).StatusCode);
        var entries = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "queue"));
        Assert.Equal(["queue.update", "queue.create"], entries.Select(e => e.Action));
        Assert.Contains(entries[0].Changes, c => c.Field == "ringTimeoutSeconds" && c.Old == "20" && c.New == "30");
        Assert.Contains(entries[0].Changes, c => c.Field == "overflow" && c.Old is null && c.New == "Voicemail:8000");
    }

    [Fact]
    public async Task An_agents_pin_is_never_shown_back_nor_written_to_the_audit_log()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        using var noPin = await admin.PostJson("/api/agents", new { number = "5001", name = "Wang Fang" });
        Assert.True((await noPin.Json()).GetProperty("errors").TryGetProperty("Pin", out _));
        using var badSkill = await admin.PostJson("/api/agents", new { number = "5001", name = "Wang Fang", pin = "804913", skills = new Dictionary<string, int> { ["tax"] = 11 } });
        Assert.True((await badSkill.Json()).GetProperty("errors").TryGetProperty("Skills", out _));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/agents", new { number = "5001", name = "Wang Fang", pin = "804913", skills = new Dictionary<string, int> { ["tax"] = 5 } })).StatusCode);
        // An empty PIN keeps the current one.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutJson("/api/agents/5001", new { name = "Wang Fang", pin = "", supervisor = true })).StatusCode);
        var shown = await admin.GetStringAsync("/api/agents/5001", ct) + await admin.GetStringAsync("/api/agents", ct);
        Assert.DoesNotContain("804913", shown);
        Assert.DoesNotContain("pinHash", shown, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"hasPin\":true", shown);
        var entries = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "agent"));
        Assert.Equal(["agent.update", "agent.create"], entries.Select(e => e.Action));
        Assert.Contains(entries[1].Changes, c => c.Field == "Pin" && c.New == AuditLog.Masked);
        Assert.DoesNotContain(entries[0].Changes, c => c.Field == "Pin");
        Assert.All(entries.SelectMany(e => e.Changes), c => Assert.DoesNotContain("804913", $"{c.Old}{c.New}"));
    }

    [Fact]
    public async Task A_supervisor_logs_an_agent_in_pauses_and_resumes_them_and_everyone_sees_the_state()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/extensions", new ExtensionInput("1001", "Desk 1", "Secret-pass-1001"))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/agents", new { number = "5001", name = "Wang Fang", pin = "804913" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/queues", Queue("8000", "5001"))).StatusCode);
        using var supervisor = host.As(Roles.Supervisor);
        using var noPhone = await supervisor.PostJson("/api/acd/agents/5001/login", new { phone = "1999" });
        Assert.Contains("1999", (await noPhone.Json()).GetProperty("errors").GetProperty("Phone")[0].GetString());
        using var login = await supervisor.PostJson("/api/acd/agents/5001/login", new { phone = "1001" });
        Assert.Equal("Available", (await login.Json()).GetProperty("state").GetString());
        using var agent = host.As(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson("/api/acd/agents/5001/pause", new { reason = "lunch" })).StatusCode);
        using var pause = await supervisor.PostJson("/api/acd/agents/5001/pause", new { reason = "training" });
        Assert.Equal("Paused", (await pause.Json()).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostJson("/api/acd/agents/5001/pause", new { reason = "again" })).StatusCode);
        // Everyone, agents too, watches the live view: the queue with the agent paused.
        var live = await (await agent.GetAsync("/api/acd", ct)).Json();
        var queue = Assert.Single(live.GetProperty("queues").EnumerateArray());
        Assert.Equal(1, queue.GetProperty("agentsByState").GetProperty("Paused").GetInt32());
        Assert.Equal("training", Assert.Single(live.GetProperty("agents").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal("Available", (await (await supervisor.PostJson("/api/acd/agents/5001/resume", new { })).Json()).GetProperty("state").GetString());
        Assert.Equal("LoggedOut", (await (await supervisor.PostJson("/api/acd/agents/5001/logout", new { })).Json()).GetProperty("state").GetString());
        var actions = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "agent.")).Select(e => e.Action).ToList();
        Assert.Equal(["agent.logout", "agent.resume", "agent.pause", "agent.login", "agent.create"], actions);
        var paused = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "agent.pause")).Single();
        Assert.Contains(paused.Changes, c => c.Field == "State" && c.Old == "Available" && c.New == "Paused");
        Assert.Contains(paused.Changes, c => c.Field == "Reason" && c.New == "training");
    }

    [Fact]
    public async Task Without_mixing_rooms_supervision_and_room_control_are_refused_with_the_reason()
    {
        await using var host = await AdminHost.StartAsync();
        using var supervisor = host.As(Roles.Supervisor);
        using var listen = await supervisor.PostJson("/api/supervision", new { supervisor = "5009", agentPhone = "1001", mode = "Listen" });
        Assert.Equal(HttpStatusCode.Conflict, listen.StatusCode);
        Assert.Contains("mixing", (await listen.Json()).GetProperty("detail").GetString());
        using var mute = await supervisor.PostJson("/api/conferences/8100/participants/call-1/mute", new { muted = true });
        Assert.Equal(HttpStatusCode.Conflict, mute.StatusCode);
        using var agent = host.As(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostJson("/api/supervision", new { supervisor = "5009", agentPhone = "1001" })).StatusCode);
        Assert.Empty(host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "supervision")));
    }

    [Fact]
    public async Task Room_pins_are_audited_as_changed_never_as_digits()
    {
        await using var host = await AdminHost.StartAsync();
        using var admin = host.As(Roles.Admin);
        using var bad = await admin.PostJson("/api/rooms", new { number = "8100", pin = "12a", moderatorPin = "", waitForModerator = true, maxParticipants = 1 });
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("Pin", out _));
        Assert.True(errors.TryGetProperty("WaitForModerator", out _));
        Assert.True(errors.TryGetProperty("MaxParticipants", out _));
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/rooms", new { number = "8100", name = "Emergency bridge", pin = "4711", moderatorPin = "9090" })).StatusCode);
        var entry = Assert.Single(host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "room")));
        Assert.Contains(entry.Changes, c => c.Field == "Pin" && c.New == AuditLog.Masked);
        Assert.Contains(entry.Changes, c => c.Field == "ModeratorPin" && c.New == AuditLog.Masked);
        Assert.All(entry.Changes, c => Assert.False($"{c.Old}{c.New}".Contains("4711") || $"{c.Old}{c.New}".Contains("9090")));
    }

    [Fact]
    public async Task The_contact_centre_pages_show_what_the_api_created()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/agents", new { number = "5001", name = "Wang Fang", pin = "804913" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/queues", Queue("8000", "5001"))).StatusCode);
        // A room without PINs: the store gives the empty PINs back as null.
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/rooms", new { number = "8100", name = "Open bridge" })).StatusCode);
        var (client, _) = await host.LoginAsync("admin", AdminHost.AdminPassword);
        var queues = await client.GetStringAsync("/queues", ct);
        Assert.Contains("Citizen hotline", queues);
        Assert.Contains("5001", queues);
        Assert.DoesNotContain("804913", queues);
        var rooms = await client.GetStringAsync("/conferences", ct);
        Assert.Contains("Open bridge", rooms);
        Assert.Contains("no-mixing", rooms);
        var monitor = await client.GetStringAsync("/acd", ct);
        Assert.Contains("acd-queue-number", monitor);
        Assert.Contains("Citizen hotline", monitor);
    }

    [Fact]
    public async Task An_abandoned_caller_is_called_back_once_and_the_page_lists_who_is_left()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostJson("/api/queues", Queue("8000"))).StatusCode);
        // As the queue writes it when a caller hangs up while waiting.
        var repository = host.Services.GetRequiredService<global::Hotline.Ivr.ContactCentre.ContactCentreHost>().Repository;
        foreach (var (id, caller) in new[] { ("a1", "13900001111"), ("a2", "13900002222") })
            repository.SaveAbandoned(new global::Hotline.Ivr.ContactCentre.AbandonedCall { Id = id, CallId = id + "@test", Queue = "8000", Caller = caller, Abandoned = DateTimeOffset.UtcNow, WaitedSeconds = 42 });
        var (client, _) = await host.LoginAsync("admin", AdminHost.AdminPassword);
        var page = await client.GetStringAsync("/callbacks", ct);
        Assert.Contains("13900001111", page);
        Assert.Contains("13900002222", page);
        using var supervisor = host.As(Roles.Supervisor);
        using var wrongQueue = await supervisor.PostJson("/api/abandoned/a1/callback", new { queue = "9999" });
        Assert.Contains("9999", (await wrongQueue.Json()).GetProperty("errors").GetProperty("Queue")[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostJson("/api/abandoned/a1/callback", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostJson("/api/abandoned/a1/handled", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostJson("/api/abandoned/a2/handled", new { })).StatusCode);
        page = await client.GetStringAsync("/callbacks", ct);
        Assert.DoesNotContain("13900001111", page);
        Assert.DoesNotContain("13900002222", page);
        Assert.Equal(["abandoned.handled", "abandoned.callback"], host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "abandoned")).Select(e => e.Action));
    }
}
