using Microsoft.Playwright;

namespace Hotline.Web.Tests;

/// <summary>
/// What every browser test class shares: a data folder for its switch, Debian's Chromium through Playwright
/// (headless, zh-CN, 1400×900, patient timeouts), screenshots under TestResults/screenshots, and cleanup.
/// </summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private static readonly string s_screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    private readonly List<IAsyncDisposable> _owned = [];
    private IPlaywright? _playwright;

    /// <summary>The switch's data directory for this test.</summary>
    protected string DataFolder { get; } = Path.Combine(Path.GetTempPath(), "hotline-web-tests", Guid.NewGuid().ToString("N"));

    public ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(s_screenshots);
        Directory.CreateDirectory(DataFolder);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var o in Enumerable.Reverse(_owned)) await o.DisposeAsync();
        _playwright?.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Something to dispose at the end of the test (switch processes, phones), in reverse order.</summary>
    protected T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    protected async Task<IBrowserContext> OpenBrowserAsync(bool acceptDownloads = false)
    {
        Tools.Require(Tools.Chromium, "chromium");
        _playwright = await Playwright.CreateAsync();
        var browser = Own(await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Tools.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }));
        var context = await browser.NewContextAsync(new() { AcceptDownloads = acceptDownloads, ViewportSize = new() { Width = 1400, Height = 900 }, Locale = "zh-CN" });
        context.SetDefaultTimeout(15_000);
        // Two switches and two browsers may share the machine's two cores with builds: give assertions the same patience as actions.
        Assertions.SetDefaultExpectTimeout(15_000);
        return context;
    }

    /// <summary>
    /// For the first page after logging in to a freshly started switch: its panel code is compiled on that
    /// request (JIT), while the interop tests, run in parallel by `dotnet test Hotline.sln`, load the same two
    /// cores — seen to take over 15 s once in CI. Later pages keep the default.
    /// </summary>
    protected static readonly PageWaitForURLOptions FirstPageAfterLogin = new() { Timeout = 60_000 };

    protected static async Task Shot(IPage page, string name) =>
        await page.ScreenshotAsync(new() { Path = Path.Combine(s_screenshots, name + ".png"), FullPage = true });
}
