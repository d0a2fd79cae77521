using Microsoft.Playwright;

namespace Hotline.Web.Tests;

/// <summary>
/// The IVR and contact-centre pages in Chromium against the real switch with the demo configuration
/// (flow 12345-demo, queue 8000 with agents 5003–5006, extension 1001): real content, validation that
/// names node and field, and the live monitor following an agent's state without a reload.
/// </summary>
public sealed class IvrAndContactCentreBrowserTests : BrowserTest
{
    private static async Task Live(IPage page) =>
        await page.Locator("#circuit[data-interactive='yes']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    /// <summary>Waits for the page to be live; if it never is, fails with the switch's log (a page that throws ends its circuit).</summary>
    private static async Task Live(IPage page, SwitchProcess hotline)
    {
        try
        {
            await Live(page);
        }
        catch (TimeoutException e)
        {
            Assert.Fail($"{page.Url} never became interactive: {e.Message}\nswitch:\n{hotline.Output[^Math.Min(hotline.Output.Length, 8000)..]}");
        }
    }

    [Fact]
    public async Task A_supervisor_reads_the_demo_flow_finds_a_flow_error_by_node_and_watches_an_agent_live()
    {
        var hotline = await SwitchProcess.StartAsync(DataFolder);
        Own(hotline);
        var context = await OpenBrowserAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(hotline.BaseUrl + "/login");
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", SwitchProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(hotline.BaseUrl + "/", FirstPageAfterLogin);
        // Navigate in the live page only: a click before the circuit starts races its first render.
        await Live(page, hotline);

        // IVR flows: the demo flow is listed and drawn as a tree from its start.
        await page.ClickAsync("a[href='/flows']");
        await page.WaitForURLAsync("**/flows");
        await Live(page, hotline);
        await Assertions.Expect(page.Locator("#flows-table td.flow-row-id", new() { HasText = "12345-demo" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#flow-tree")).ToContainTextAsync("12345-demo");
        await Assertions.Expect(page.Locator("#flow-tree .flow-type").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#flow-tree")).ToContainTextAsync("按键菜单");
        await Shot(page, "20-flows");

        // A document whose menu leads nowhere: the problem names the node and the field, and nothing is saved.
        await page.ClickAsync("#new-flow");
        await page.FillAsync("#flow-json", """
            { "id": "broken", "start": "menu", "nodes": { "menu": { "type": "menu", "prompts": ["welcome"], "options": { "1": "nowhere" } } } }
            """);
        await page.ClickAsync("#flow-validate");
        await Assertions.Expect(page.Locator("#flow-errors-title")).ToBeVisibleAsync();
        var problem = page.Locator("#flow-problems tr.flow-error", new() { HasText = "nowhere" });
        await Assertions.Expect(problem).ToContainTextAsync("menu");
        await Assertions.Expect(problem.Locator("td.mono")).ToContainTextAsync("options");
        await Shot(page, "21-flow-errors");

        // The other IVR pages go live with the demo's records (a page that throws never becomes interactive).
        foreach (var (path, table, text) in new[]
        {
            ("/prompts", "#prompts-table", "demo/welcome"), ("/schedules", "#schedules-table", "always"), ("/hotlines", "#hotlines-table", "12345"),
            ("/voicemail", "#mailboxes-table", "1002"), ("/followme", "#followme-table", "没有符合条件的记录"), ("/campaigns", "#campaigns-table", "没有符合条件的记录"),
        })
        {
            await page.GotoAsync(hotline.BaseUrl + path);
            await Live(page, hotline);
            await Assertions.Expect(page.Locator(table)).ToContainTextAsync(text);
        }
        await page.GotoAsync(hotline.BaseUrl + "/schedules");
        await Live(page, hotline);
        // Open around the clock: the period now is work.
        await Assertions.Expect(page.Locator("#schedules-table .period-chip[data-period='Work']")).ToContainTextAsync("上班");
        await Shot(page, "22-schedules");

        // A supervisor blocks a caller; the check finds the entry.
        await page.GotoAsync(hotline.BaseUrl + "/blacklist");
        await Live(page, hotline);
        await page.FillAsync("#bl-number", "13800000000");
        await page.FillAsync("#bl-reason", "骚扰电话");
        await page.ClickAsync("#bl-save");
        await Assertions.Expect(page.Locator("#blacklist-table td.bl-number", new() { HasText = "13800000000" })).ToBeVisibleAsync();
        await page.FillAsync("#bl-check", "13800000000");
        await page.ClickAsync("#bl-check-run");
        await Assertions.Expect(page.Locator("#bl-check-result")).ToContainTextAsync("骚扰电话");
        await Shot(page, "22-blacklist");

        // Queues and agents: the demo queue with its members; an agent logged in by the supervisor.
        await page.ClickAsync("a[href='/queues']");
        await page.WaitForURLAsync("**/queues");
        await Live(page, hotline);
        var queueRow = page.Locator("#queues-table tr", new() { Has = page.Locator("td.queue-number", new() { HasText = "8000" }) });
        await Assertions.Expect(queueRow).ToContainTextAsync("Demo hotline");
        await Assertions.Expect(queueRow).ToContainTextAsync("5003");
        await Assertions.Expect(queueRow).ToContainTextAsync("最长空闲优先");
        await Shot(page, "22-queues");
        await page.GetByRole(AriaRole.Tab, new() { Name = "座席" }).ClickAsync();
        var agentRow = page.Locator("#agents-table tr", new() { Has = page.Locator("td.agent-number", new() { HasText = "5003" }) });
        await Assertions.Expect(agentRow.Locator(".agent-state")).ToHaveAttributeAsync("data-state", "LoggedOut");
        // PINs are shown as "set", never as digits (the demo gives 5003 the PIN 3333).
        await Assertions.Expect(agentRow).ToContainTextAsync("已设置");
        Assert.DoesNotContain("3333", await page.Locator("#agents-table").InnerTextAsync());
        await page.FillAsync("#agent-login-phone", "1001");
        await agentRow.Locator(".agent-login").ClickAsync();
        await Assertions.Expect(agentRow.Locator(".agent-state")).ToHaveAttributeAsync("data-state", "Available");
        await Assertions.Expect(agentRow.Locator(".agent-state")).ToContainTextAsync("空闲");
        await Shot(page, "23-agents");

        // The live monitor in a second tab: the queue has one agent available; a pause on the first tab shows here without a reload.
        var monitor = await context.NewPageAsync();
        await monitor.GotoAsync(hotline.BaseUrl + "/acd");
        await Live(monitor, hotline);
        var navigations = 0;
        monitor.FrameNavigated += (_, frame) => { if (frame == monitor.MainFrame) navigations++; };
        var liveQueue = monitor.Locator("#acd-queues tr", new() { Has = monitor.Locator("td.acd-queue-number", new() { HasText = "8000" }) });
        await Assertions.Expect(liveQueue).ToContainTextAsync("空闲 1");
        await Assertions.Expect(monitor.Locator("#acd-agents .acd-agent[data-agent='5003']")).ToContainTextAsync("1001");
        await page.FillAsync("#agent-pause-reason", "培训");
        await agentRow.Locator(".agent-pause").ClickAsync();
        await Assertions.Expect(liveQueue).ToContainTextAsync("示忙 1", new() { Timeout = 5_000 });
        await Assertions.Expect(monitor.Locator("#acd-agents .acd-agent[data-agent='5003']")).ToContainTextAsync("培训");
        await Assertions.Expect(monitor.Locator("#acd-agents .mud-chip").First).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-chip-color-error"));
        Assert.Equal(0, navigations);
        await Shot(monitor, "24-acd-monitor");

        // Conference rooms: the demo room's settings (no PIN), and no room in use.
        await page.GotoAsync(hotline.BaseUrl + "/conferences");
        await Live(page, hotline);
        var roomRow = page.Locator("#rooms-table tr", new() { Has = page.Locator("td.room-number", new() { HasText = "8100" }) });
        await Assertions.Expect(roomRow).ToContainTextAsync("Demo conference");
        await Assertions.Expect(roomRow).ToContainTextAsync("无");
        await Assertions.Expect(page.Locator("#no-open-rooms")).ToBeVisibleAsync();
        await Shot(page, "26-conferences");

        // The audit log has the supervisor's commands; English on the same pages.
        await page.GotoAsync(hotline.BaseUrl + "/audit");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("agent.pause");
        await page.GotoAsync(hotline.BaseUrl + "/acd");
        await Live(page, hotline);
        await page.ClickAsync("#lang-en");
        await Assertions.Expect(page.Locator("#acd-queues")).ToContainTextAsync("paused 1");
        await Assertions.Expect(page.Locator("text=Queue and agent monitor").First).ToBeVisibleAsync();
        await Shot(page, "25-acd-monitor-en");
    }
}
