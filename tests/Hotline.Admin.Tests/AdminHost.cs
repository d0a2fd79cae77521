using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Hotline.Admin.Security;
using Hotline.Switch.Accounts;
using Hotline.Switch.Api;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hotline.Admin.Tests;

/// <summary>
/// The admin panel on the real Kestrel, bound to 127.0.0.1 on a free port, over a real store in a
/// temporary data directory and a <see cref="FakeSwitch"/>. Tokens for each role are made up front.
/// </summary>
internal sealed partial class AdminHost : IAsyncDisposable
{
    public const string AdminPassword = "Initial-pass-1234";
    private readonly WebApplication _app;

    private AdminHost(WebApplication app, string dataDirectory, HotlineStore store)
    {
        _app = app;
        DataDirectory = dataDirectory;
        Store = store;
    }

    public string DataDirectory { get; }
    public HotlineStore Store { get; }
    public Uri BaseAddress { get; private set; } = default!;
    public IServiceProvider Services => _app.Services;
    public FakeSwitch Switch => (FakeSwitch)Services.GetRequiredService<ISwitchStatus>();
    public Dictionary<string, string> Tokens { get; } = [];

    public static async Task<AdminHost> StartAsync(string? dataDirectory = null, Action<AdminOptions>? configure = null)
    {
        var data = dataDirectory ?? Path.Combine(Path.GetTempPath(), "hotline-admin-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var storage = new StorageOptions { DataDirectory = data };
        var store = new HotlineStore(storage);
        var fake = new FakeSwitch();
        var extensions = new LiteDbExtensionRepository(store);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(storage);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton<IExtensionRepository>(extensions);
        builder.Services.AddSingleton<ICdrStore>(new LiteDbCdrStore(store));
        builder.Services.AddSingleton<IDocumentStore>(new LiteDbDocumentStore(store));
        builder.Services.AddSingleton<IStoreArchive>(new LiteDbStoreArchive(store, extensions));
        var trunks = new Switch.Trunks.LiteDbTrunkRepository(store);
        builder.Services.AddSingleton<Switch.Trunks.ITrunkRepository>(trunks);
        var routes = new Switch.Routing.LiteDbRouteRepository(store);
        builder.Services.AddSingleton<Switch.Routing.IRouteRepository>(routes);
        builder.Services.AddSingleton<ISwitchStatus>(fake);
        builder.Services.AddSingleton<ISwitchCommands>(fake);
        // The IVR and the contact centre over the same store, as the composition root builds them (no media: no conference rooms).
        var calls = new FakeCalls();
        builder.Services.AddSingleton(calls);
        builder.Services.AddSingleton<Switch.Calls.ICallOriginator>(calls);
        builder.Services.AddSingleton<Switch.Calls.ILiveCalls>(calls);
        var ivr = new global::Hotline.Ivr.IvrServices(store, new global::Hotline.Ivr.IvrOptions { GeneratePrompts = false, PromptsFolder = Path.Combine(data, "prompts"), VoicemailFolder = Path.Combine(data, "voicemail") },
            calls, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        builder.Services.AddSingleton(ivr);
        var contactCentre = new global::Hotline.Ivr.ContactCentre.ContactCentreHost(new global::Hotline.Ivr.ContactCentre.ContactCentreOptions(), new global::Hotline.Ivr.ContactCentre.LiteDbContactCentreRepository(store),
            new global::Hotline.Ivr.ContactCentre.ContactCentreHooks
            {
                Originator = calls, Time = TimeProvider.System, Loggers = Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
                RecordingsRoot = Path.Combine(data, "recordings"), Extensions = extensions, LiveCalls = calls, Routes = routes,
            });
        contactCentre.Start();
        builder.Services.AddSingleton(contactCentre);
        var options = new AdminOptions { InitialPassword = AdminPassword, Backup = new BackupScheduleOptions { Enabled = false } };
        configure?.Invoke(options);
        builder.Services.AddHotlineAdmin(options);
        var app = builder.Build();
        app.MapHotlineAdmin();
        var host = new AdminHost(app, data, store);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.BaseAddress = new Uri(address);
        var tokens = app.Services.GetRequiredService<ApiTokenService>();
        foreach (var role in Roles.All) host.Tokens[role] = tokens.Create(new ApiTokenInput($"test-{role}", role), new Services.Actor("test", null)).Value!.Token;
        return host;
    }

    /// <summary>A client without credentials that does not follow redirects.</summary>
    public HttpClient Anonymous() => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    /// <summary>A client that sends the API token of <paramref name="role"/>.</summary>
    public HttpClient As(string role)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[role]);
        return client;
    }

    /// <summary>Reading <paramref name="path"/> needs a login (401 without), is refused to agents (403) and allowed to supervisors.</summary>
    public async Task AssertSupervisorsMayRead(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        using var anonymous = Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path, ct)).StatusCode);
        using var agent = As(Roles.Agent);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(path, ct)).StatusCode);
        using var supervisor = As(Roles.Supervisor);
        Assert.Equal(HttpStatusCode.OK, (await supervisor.GetAsync(path, ct)).StatusCode);
    }

    /// <summary>A browser-like client: cookies kept, logged in through the login form with its antiforgery token.</summary>
    public async Task<(HttpClient Client, HttpResponseMessage Response)> LoginAsync(string user, string password)
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = BaseAddress };
        var form = await client.GetStringAsync("/login", TestContext.Current.CancellationToken);
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        Assert.NotEmpty(token);
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["userName"] = user, ["password"] = password, ["returnUrl"] = "/",
        }), TestContext.Current.CancellationToken);
        return (client, response);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await Services.GetRequiredService<global::Hotline.Ivr.ContactCentre.ContactCentreHost>().DisposeAsync();
        await Services.GetRequiredService<global::Hotline.Ivr.IvrServices>().DisposeAsync();
        await _app.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class HttpExtensions
{
    public static Task<HttpResponseMessage> PostJson<T>(this HttpClient client, string url, T body) =>
        client.PostAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PutJson<T>(this HttpClient client, string url, T body) =>
        client.PutAsJsonAsync(url, body, TestContext.Current.CancellationToken);

    public static async Task<System.Text.Json.JsonElement> Json(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken));
}
