using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;
using Microsoft.Playwright;

namespace Hotline.Web.Tests;

/// <summary>
/// The admin panel in Debian's Chromium (headless, driven by Playwright) against the real switch as a
/// child process, with a real baresip phone. Screenshots of the key pages go to TestResults/screenshots.
/// </summary>
public sealed class PanelBrowserTests : BrowserTest
{
    /// <summary>Seeds a recorded call into the store before the switch opens it, as the call layer would have written it.</summary>
    private Cdr SeedRecordedCall()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var id = Guid.NewGuid().ToString("N");
        var recording = Path.Combine(DataFolder, "recordings", start.ToString("yyyy"), start.ToString("MM"), start.ToString("dd"), id + ".wav");
        Directory.CreateDirectory(Path.GetDirectoryName(recording)!);
        File.WriteAllBytes(recording, Wav.Tone(3));
        var cdr = new Cdr
        {
            Id = id, CallId = id + "@seed", Caller = "01062345678", Callee = "12345", Extension = "1001", InboundTrunk = "unicom",
            Start = start, Answer = start.AddSeconds(4), End = start.AddSeconds(34), Disposition = CallDisposition.Answered, BillableSeconds = 30,
            HangupCause = "200 BYE", RecordingPath = recording, Recordings = [recording],
        };
        using var store = new HotlineStore(new StorageOptions { DataDirectory = DataFolder });
        new LiteDbCdrStore(store).Add(cdr);
        return cdr;
    }

    private static async Task Live(IPage page) =>
        await page.Locator("#circuit[data-interactive='yes']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

    [Fact]
    public async Task Log_in_create_an_extension_see_its_phone_register_live_and_work_with_call_records()
    {
        Tools.Require("/usr/bin/baresip", "baresip-core");
        var seeded = SeedRecordedCall();
        var hotline = await SwitchProcess.StartAsync(DataFolder);
        Own(hotline);
        var page = await (await OpenBrowserAsync(acceptDownloads: true)).NewPageAsync();

        // Log in (the panel is Chinese by default).
        await page.GotoAsync(hotline.BaseUrl + "/extensions");
        Assert.Contains("/login", page.Url);
        await Assertions.Expect(page.Locator("#login-submit")).ToHaveTextAsync("登录");
        await Shot(page, "01-login");
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", "wrong-password-1");
        await page.ClickAsync("#login-submit");
        await Assertions.Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", SwitchProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync("**/extensions", FirstPageAfterLogin);
        await Live(page);

        // Create an extension: first with a bad number, and the error names the field.
        await page.ClickAsync("#new-extension");
        await page.FillAsync("#ext-number", "21a");
        await page.FillAsync("#ext-name", "浏览器测试");
        await page.FillAsync("#ext-password", "Phone-pass-2101");
        await page.ClickAsync("#save-extension");
        await Assertions.Expect(page.Locator("#extension-errors")).ToContainTextAsync("号码");
        await page.FillAsync("#ext-number", "2101");
        await page.ClickAsync("#save-extension");
        await Assertions.Expect(page.Locator("#extensions-table td.ext-number", new() { HasText = "2101" })).ToBeVisibleAsync();
        await Shot(page, "02-extensions");

        // Watch registrations; the phone registers and its row appears without a reload.
        await page.ClickAsync("a[href='/registrations']");
        await page.WaitForURLAsync("**/registrations");
        await Live(page);
        await Assertions.Expect(page.Locator("#registrations-table td[data-aor='2101']")).ToHaveCountAsync(0);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        var phone = Baresip.Start(Path.Combine(DataFolder, "..", Guid.NewGuid().ToString("N")), "2101", "Phone-pass-2101", hotline.SipPort, Wav.Tone(5));
        Own(phone);
        try
        {
            await Assertions.Expect(page.Locator("#registrations-table td[data-aor='2101']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        }
        catch (PlaywrightException e)
        {
            var api = await page.EvaluateAsync<string>("async () => await (await fetch('/api/registrations')).text()");
            Assert.Fail($"{e.Message}\n/api/registrations: {api}\nbaresip:\n{phone.Output}\nswitch:\n{hotline.Output}");
        }
        Assert.Equal(0, navigations);
        await Shot(page, "03-registrations-live");

        // The dashboard counts it.
        await page.ClickAsync("a[href='/']");
        await Assertions.Expect(page.Locator("#stat-registrations")).ToHaveTextAsync("1");
        await Shot(page, "04-dashboard");

        // A call between two baresip phones (2101 → demo extension 1001, which answers by itself), watched live.
        var callee = Baresip.Start(Path.Combine(DataFolder, "..", Guid.NewGuid().ToString("N")), "1001", "hotline1001", hotline.SipPort, Wav.Tone(20));
        Own(callee);
        await page.ClickAsync("a[href='/registrations']");
        await Assertions.Expect(page.Locator("#registrations-table td[data-aor='1001']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.ClickAsync("a[href='/calls']");
        await page.WaitForURLAsync("**/calls");
        await Live(page);
        var dial = await phone.CommandAsync("dial", $"sip:1001@127.0.0.1:{hotline.SipPort}");
        Assert.Contains("\"ok\":true", dial);
        var row = page.Locator("#calls-table td[data-call-id]", new() { HasText = "2101" });
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#calls-table")).ToContainTextAsync("通话中", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#calls-table .call-duration")).Not.ToHaveTextAsync("0:00", new() { Timeout = 5_000 });
        await Shot(page, "05-live-call");
        // Supervisors see listen, whisper and barge on the answered call; without their agent number the refusal names the field.
        await Assertions.Expect(page.Locator("#calls-table .supervise-whisper")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#calls-table .supervise-barge")).ToBeVisibleAsync();
        await page.Locator("#calls-table .supervise-listen").First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-snackbar", new() { HasText = "班长" })).ToBeVisibleAsync();
        await Task.Delay(3000, TestContext.Current.CancellationToken);
        Assert.Contains("\"ok\":true", await phone.CommandAsync("hangup"));
        await Assertions.Expect(row).ToHaveCountAsync(0, new() { Timeout = 10_000 });

        // Find the call's record, play its recording, export CSV.
        await page.ClickAsync("a[href='/cdrs']");
        await page.WaitForURLAsync("**/cdrs");
        await Live(page);
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-caller", new() { HasText = seeded.Caller })).ToBeVisibleAsync();
        await page.FillAsync("#cdr-extension", "2101");
        await page.ClickAsync("#cdr-search");
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-callee")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-callee")).ToHaveTextAsync("1001");
        await Assertions.Expect(page.Locator("#cdr-total")).ToHaveTextAsync("共 1 条");
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-disposition")).ToHaveTextAsync("已接通");
        await page.ClickAsync(".cdr-play");
        var audio = page.Locator("#recording-audio");
        await audio.WaitForAsync();
        await page.WaitForFunctionAsync("() => { const a = document.querySelector('#recording-audio'); return a && a.readyState >= 1 && a.duration > 0; }");
        var duration = await audio.EvaluateAsync<double>("a => a.duration");
        Assert.InRange(duration, 2.0, 30.0);
        await Shot(page, "06-call-records");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export-csv"));
        var csvPath = Path.Combine(DataFolder, "export.csv");
        await download.SaveAsAsync(csvPath);
        var csv = await File.ReadAllTextAsync(csvPath, TestContext.Current.CancellationToken);
        Assert.StartsWith("id,call_id,start", csv.TrimStart('\uFEFF'));
        Assert.Contains(",2101,", csv);
        Assert.DoesNotContain(seeded.Id, csv);

        // The record written by an earlier version of the store (seeded) plays too.
        await page.FillAsync("#cdr-extension", "");
        await page.FillAsync("#cdr-number", "0106234");
        await page.ClickAsync("#cdr-search");
        // Wait for the new result (the total said 1 before the search too).
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-callee", new() { HasText = "1001" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#cdr-table td.cdr-callee")).ToHaveTextAsync("12345");
        await page.ClickAsync(".cdr-play");
        await page.WaitForFunctionAsync("() => { const a = document.querySelector('#recording-audio'); return a && a.src.includes('" + seeded.Id + "') && a.readyState >= 1 && Math.abs(a.duration - 3) < 0.1; }");

        // Statistics show the call by the caller's area.
        await page.ClickAsync("a[href='/stats']");
        await Assertions.Expect(page.Locator("#stats-areas")).ToContainTextAsync("北京市");
        await Shot(page, "07-statistics");

        // The English switch.
        await page.ClickAsync("#lang-en");
        await Assertions.Expect(page.Locator("#stats-areas")).ToContainTextAsync("Beijing");
        await Assertions.Expect(page.Locator("text=Call records").First).ToBeVisibleAsync();
        await Shot(page, "08-statistics-en");
    }

    [Fact]
    public async Task An_agent_sees_monitoring_but_not_configuration()
    {
        var hotline = await SwitchProcess.StartAsync(DataFolder);
        Own(hotline);
        var page = await (await OpenBrowserAsync(acceptDownloads: true)).NewPageAsync();
        await page.GotoAsync(hotline.BaseUrl + "/login");
        await page.FillAsync("#userName", "admin");
        await page.FillAsync("#password", SwitchProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(hotline.BaseUrl + "/", FirstPageAfterLogin);
        await page.GotoAsync(hotline.BaseUrl + "/users");
        await Live(page);
        await page.ClickAsync("#new-user");
        await page.FillAsync("#user-name", "op7");
        await page.FillAsync("#user-password", "Agent-pass-777");
        await page.ClickAsync("#save-user");
        await Assertions.Expect(page.Locator("#users-table")).ToContainTextAsync("op7");
        await Shot(page, "09-users");

        // The audit log shows the user's creation; a backup downloads; system parameters hide secrets.
        await page.ClickAsync("a[href='/audit']");
        await Assertions.Expect(page.Locator("#audit-table")).ToContainTextAsync("user.create");
        await Shot(page, "11-audit");
        await page.ClickAsync("a[href='/backup']");
        await page.WaitForURLAsync("**/backup");
        var backup = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-backup"));
        var zip = Path.Combine(DataFolder, "backup.zip");
        await backup.SaveAsAsync(zip);
        using (var archive = System.IO.Compression.ZipFile.OpenRead(zip))
            Assert.Contains(archive.Entries, e => e.FullName == "manifest.json");
        await Shot(page, "12-backup");
        await page.ClickAsync("a[href='/system']");
        await Assertions.Expect(page.Locator("#config-table")).ToContainTextAsync("Extensions:0:Password");
        await Assertions.Expect(page.Locator("#config-table")).Not.ToContainTextAsync("hotline1001");
        await Shot(page, "13-system");
        await page.ClickAsync("a[href='/trunks']");
        await Assertions.Expect(page.Locator("#trunks-table")).ToContainTextAsync("pstn");
        await Shot(page, "14-trunks");
        await page.ClickAsync("a[href='/routes']");
        await Assertions.Expect(page.Locator("#outbound-table")).ToContainTextAsync("pstn");
        await Shot(page, "15-routes");
        await page.ClickAsync("#logout");
        await page.WaitForURLAsync("**/login");

        await page.FillAsync("#userName", "op7");
        await page.FillAsync("#password", "Agent-pass-777");
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(hotline.BaseUrl + "/", FirstPageAfterLogin);
        await Assertions.Expect(page.Locator("a[href='/registrations']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("a[href='/users']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("a[href='/extensions']")).ToHaveCountAsync(0);
        await page.GotoAsync(hotline.BaseUrl + "/users");
        await Assertions.Expect(page.Locator("#no-access")).ToBeVisibleAsync();
        await Shot(page, "10-agent-denied");
    }
}
