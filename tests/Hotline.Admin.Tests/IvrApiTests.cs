using System.Net;
using System.Text;
using Hotline.Admin.Audit;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.Admin.Tests;

public sealed class IvrApiTests
{
    private const string Flow = """
        {
          "id": "main", "name": "Main menu", "start": "menu",
          "nodes": {
            "menu": { "type": "menu", "prompts": ["welcome"], "options": { "1": "bye", "7": "ghost" }, "onFailure": "bye" },
            "bye": { "type": "hangup" }
          }
        }
        """;

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/api/flows")]
    [InlineData("/api/prompts")]
    [InlineData("/api/schedules")]
    [InlineData("/api/calendars")]
    [InlineData("/api/hotlines")]
    [InlineData("/api/blacklist")]
    [InlineData("/api/followme")]
    [InlineData("/api/mailboxes")]
    [InlineData("/api/campaigns")]
    public async Task Ivr_configuration_needs_a_login_and_is_hidden_from_agents(string path)
    {
        await using var host = await AdminHost.StartAsync();
        await host.AssertSupervisorsMayRead(path);
    }

    [Fact]
    public async Task Unusable_input_found_by_fuzzing_is_refused_with_400_not_500()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        // A multipart type without its boundary: the form cannot be read.
        foreach (var path in new[] { "/api/campaigns", "/api/campaigns/c1/numbers" })
        {
            var form = new StringContent("a=b");
            form.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("multipart/form-data");
            using var response = await admin.PostAsync(path, form, ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("not a readable form", await response.Content.ReadAsStringAsync(ct));
        }
        // A prompt name of 300 characters: a store key LiteDB refuses (1 KB or more) and a long path.
        using var longName = await admin.PutAsync("/api/prompts/meta/" + new string('a', 300), Json("{ \"description\": \"x\" }"), ct);
        Assert.Equal(HttpStatusCode.BadRequest, longName.StatusCode);
        Assert.Contains("at most 200 characters", await longName.Content.ReadAsStringAsync(ct));
        using var fine = await admin.PutAsync("/api/prompts/meta/" + new string('a', 200), Json("{ \"description\": \"x\" }"), ct);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_flow_error_names_its_node_and_field_and_nothing_is_saved()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        using var admin = host.As(Roles.Admin);
        using var bad = await admin.PostAsync("/api/flows", Json(Flow), ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Json()).GetProperty("errors");
        var (field, messages) = Assert.Single(errors.EnumerateObject().Select(p => (p.Name, p.Value.EnumerateArray().Select(m => m.GetString()!).ToList())));
        Assert.StartsWith("nodes.menu.", field);
        Assert.Contains(messages, m => m.Contains("ghost"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/flows/main", ct)).StatusCode);
        Assert.Empty(host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "flow")));
    }

    [Fact]
    public async Task Flows_are_changed_by_admins_only_and_every_version_is_audited()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var good = Flow.Replace("\"7\": \"ghost\"", "\"7\": \"menu\"");
        using var supervisor = host.As(Roles.Supervisor);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsync("/api/flows", Json(good), ct)).StatusCode);
        using var admin = host.As(Roles.Admin);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/api/flows", Json(good), ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/flows/main", Json(good.Replace("Main menu", "Night menu")), ct)).StatusCode);
        Assert.Contains("Night menu", await supervisor.GetStringAsync("/api/flows/main", ct));
        var entries = host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "flow"));
        Assert.Equal(["flow.update", "flow.create"], entries.Select(e => e.Action));
        var update = entries[0];
        Assert.StartsWith("token:", update.Actor);
        Assert.Contains(update.Changes, c => c.Field == "Name" && c.Old == "Main menu" && c.New == "Night menu");
        Assert.Contains(update.Changes, c => c.Field == "Version" && c.Old == "1" && c.New == "2");
    }

    [Fact]
    public async Task A_blacklist_entry_naming_what_does_not_exist_is_refused_by_field()
    {
        await using var host = await AdminHost.StartAsync();
        using var supervisor = host.As(Roles.Supervisor);
        using var bad = await supervisor.PostJson("/api/blacklist", new { kind = "exact", number = "13800138000", action = "voicemail", mailbox = "nobox", scope = "nohotline", reason = "abuse" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.Contains("nobox", errors.GetProperty("mailbox")[0].GetString());
        Assert.Contains("nohotline", errors.GetProperty("scope")[0].GetString());
        // Supervisors keep the blacklist (an abusive caller is blocked at once, without an admin).
        using var ok = await supervisor.PostJson("/api/blacklist", new { kind = "exact", number = "13800138000", action = "reject", status = 603, reason = "abuse" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        var listed = await supervisor.GetStringAsync("/api/blacklist/check?number=13800138000", TestContext.Current.CancellationToken);
        Assert.Contains("abuse", listed);
        var entry = Assert.Single(host.Services.GetRequiredService<AuditLog>().Search(new AuditQuery(Action: "blacklist")));
        Assert.Equal("blacklist.create", entry.Action);
        Assert.Contains(entry.Changes, c => c.Field == "number" && c.Old is null && c.New == "13800138000");
    }

    [Fact]
    public void Problems_are_keyed_by_the_field_they_name()
    {
        var ivr = IvrProblems.Parse(["week.monday: opens at 09:00 but closes at 08:00", "holidays[0] from is after to", "The document is empty"], "id");
        Assert.Equal(["opens at 09:00 but closes at 08:00"], ivr["week.monday"]);
        Assert.Equal(["from is after to"], ivr["holidays[0]"]);
        Assert.Equal(["The document is empty"], ivr["id"]);
        var acd = IvrProblems.ParseContactCentre(["queue 8000:RingTimeoutSeconds must be between 5 and 120", "queue 8000:Members:1:Agent 5003 is listed twice"], "queue 8000");
        Assert.Equal(["must be between 5 and 120"], acd["RingTimeoutSeconds"]);
        Assert.Equal(["1:Agent 5003 is listed twice"], acd["Members"]);
    }

    [Fact]
    public async Task The_ivr_call_log_shows_each_callers_period_and_path()
    {
        await using var host = await AdminHost.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var start = DateTimeOffset.UtcNow.AddMinutes(-3);
        // As the hotline destination writes it at the end of a call.
        host.Services.GetRequiredService<global::Hotline.Ivr.IvrServices>().CallLog.Add(new global::Hotline.Ivr.Hotlines.IvrCallRecord
        {
            CallId = "c1", Caller = "13700007777", Dialled = "12345", Hotline = "12345", Period = "Lunch", Destination = "Flow:main", Flow = "main",
            Path = ["welcome", "menu", "agents"], Outcome = "transferred", Start = start, End = start.AddSeconds(75),
        });
        var (client, _) = await host.LoginAsync("admin", AdminHost.AdminPassword);
        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/ivr-calls", ct));
        Assert.Contains("13700007777", page);
        Assert.Contains("午休", page);
        Assert.Contains("welcome → menu → agents", page);
        Assert.Contains("1:15", page);
        using var supervisor = host.As(Roles.Supervisor);
        Assert.Contains("13700007777", await supervisor.GetStringAsync("/api/ivr/calls?caller=13700007777", ct));
        using var agent = host.As(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync("/api/ivr/calls", ct)).StatusCode);
    }
}
