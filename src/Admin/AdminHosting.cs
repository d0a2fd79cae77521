using Hotline.Admin.Api;
using Hotline.Admin.Audit;
using Hotline.Admin.Backup;
using Hotline.Admin.Components;
using Hotline.Admin.ContactCentre;
using Hotline.Admin.Ivr;
using Hotline.Admin.Monitoring;
using Hotline.Admin.Security;
using Hotline.Admin.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MudBlazor;
using MudBlazor.Services;

namespace Hotline.Admin;

/// <summary>Wires the admin panel and REST API into the host: <c>builder.AddHotlineAdmin()</c>, then <c>app.MapHotlineAdmin()</c>.</summary>
public static class AdminHosting
{
    public const string AuthScheme = "Hotline";

    /// <summary>Reads section "Admin", binds Kestrel to Admin:Urls and registers the panel's services.</summary>
    public static WebApplicationBuilder AddHotlineAdmin(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Admin").Get<AdminOptions>() ?? new AdminOptions();
        options.Validate();
        builder.WebHost.UseUrls(AvailableUrls(options.Urls));
        // Serve the panel's and MudBlazor's static files from the build output too, not only from a publish folder.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddHotlineAdmin(options);
        return builder;
    }

    /// <summary>
    /// The panel's services; needs the switch API (ISwitchStatus, ISwitchCommands, IDocumentStore, IStoreArchive, IExtensionRepository, ICdrStore,
    /// ITrunkRepository, IRouteRepository, ICallOriginator, ILiveCalls), the IVR's services (IvrServices), the contact centre (ContactCentreHost),
    /// StorageOptions and TimeProvider.
    /// </summary>
    public static IServiceCollection AddHotlineAdmin(this IServiceCollection services, AdminOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<AuditLog>();
        services.AddSingleton<UserService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<ExtensionService>();
        services.AddSingleton<TrunkService>();
        services.AddSingleton<RouteService>();
        services.AddSingleton<CdrService>();
        services.AddSingleton<AreaLookup>();
        services.AddSingleton<StatisticsService>();
        services.AddSingleton<SystemSettings>();
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<BackupScheduler>());
        services.AddHostedService<InitialAdmin>();
        services.AddSingleton<LiveUpdates>();
        services.AddSingleton<FlowAdmin>();
        services.AddSingleton<PromptAdmin>();
        services.AddSingleton<ScheduleAdmin>();
        services.AddSingleton<HotlineAdmin>();
        services.AddSingleton<BlacklistAdmin>();
        services.AddSingleton<FollowMeAdmin>();
        services.AddSingleton<VoicemailAdmin>();
        services.AddSingleton<CampaignAdmin>();
        services.AddSingleton<DirectoryAdmin>();
        services.AddSingleton<AcdOperations>();
        services.AddSingleton<CallSupervision>();
        services.AddSingleton<GcPauses>();
        services.AddSingleton<MetricsWriter>();
        foreach (var section in CoreSections) services.AddAdminSection(section);

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthScheme;
                o.DefaultChallengeScheme = AuthScheme;
            })
            .AddPolicyScheme(AuthScheme, "cookie session or API token", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme, o =>
            {
                o.Cookie.Name = "hotline.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/login";
                o.AccessDeniedPath = "/denied";
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.Events = new CookieAuthenticationEvents
                {
                    // The API answers 401/403; only pages redirect to the login form.
                    OnRedirectToLogin = ctx => Redirect(ctx, StatusCodes.Status401Unauthorized),
                    OnRedirectToAccessDenied = ctx => Redirect(ctx, StatusCodes.Status403Forbidden),
                    // A password, role or state change (or deletion) ends the user's other sessions.
                    OnValidatePrincipal = async ctx =>
                    {
                        var users = ctx.HttpContext.RequestServices.GetRequiredService<UserService>();
                        var name = ctx.Principal?.Identity?.Name;
                        var role = ctx.Principal?.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value;
                        var stamp = ctx.Principal?.FindFirst(AdminClaims.Stamp)?.Value;
                        if (name is null || !users.IsCurrent(name, role, stamp))
                        {
                            ctx.RejectPrincipal();
                            await ctx.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                        }
                    },
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization(o =>
        {
            foreach (var policy in new[] { Policies.Monitor, Policies.Supervise, Policies.Admin })
                o.AddPolicy(policy, p => p.AddAuthenticationSchemes(AuthScheme).RequireAuthenticatedUser().RequireRole(Policies.RolesFor(policy)));
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthState>();
        services.AddAntiforgery(o => o.Cookie.Name = "hotline.af");
        services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = false);
        services.AddMudServices(c => c.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "Hotline admin API";
            doc.Info.Description = "Configure and watch the Hotline switch. Authenticate with a session cookie (the panel) or 'Authorization: Bearer hl_…' (an API token).";
            return Task.CompletedTask;
        }));
        services.AddProblemDetails();
        // Enums travel by name in the API ("Answered", "Udp"), as in the panel and the configuration file.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>
    /// The configured URLs, except that one whose port is already taken moves to a free port (logged at start):
    /// a second switch on the machine (a test, a standby) must still carry calls when the panel's port is in use.
    /// </summary>
    internal static string[] AvailableUrls(string configured)
    {
        var urls = configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = 0; i < urls.Length; i++)
        {
            var uri = new Uri(urls[i]);
            if (uri.Port == 0 || !System.Net.IPAddress.TryParse(uri.Host, out var address)) continue;
            try
            {
                using var probe = new System.Net.Sockets.TcpListener(address, uri.Port);
                probe.Start();
            }
            catch (System.Net.Sockets.SocketException)
            {
                Console.Error.WriteLine($"Admin:Urls {urls[i]}: port {uri.Port} is in use; the panel takes a free port instead (see the start-up log)");
                urls[i] = new UriBuilder(uri) { Port = 0 }.Uri.ToString().TrimEnd('/');
            }
        }
        return urls;
    }

    public static IServiceCollection AddAdminSection(this IServiceCollection services, AdminSection section) => services.AddSingleton(section);

    /// <summary>Maps the panel, the REST API under /api, /openapi/v1.json, /healthz and /metrics.</summary>
    public static WebApplication MapHotlineAdmin(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<AdminOptions>();
        // Listen for GC pauses from the start, not from the first scrape.
        app.Services.GetRequiredService<GcPauses>();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            app.Logger.LogInformation("Hotline admin panel and API on {Urls}", string.Join(", ", addresses));
        });
        app.UseExceptionHandler();
        app.UseStatusCodePages(async ctx =>
        {
            // API and metrics callers get bare status codes; a browser asking for a page that does not exist gets a short page.
            if (ctx.HttpContext.Request.Path.StartsWithSegments("/api")) return;
            if (ctx.HttpContext.Response.StatusCode == StatusCodes.Status404NotFound)
            {
                ctx.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await ctx.HttpContext.Response.WriteAsync("404 Not Found");
            }
        });
        var endpointsManifest = Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json");
        if (!File.Exists(endpointsManifest)) app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        if (File.Exists(endpointsManifest)) app.MapStaticAssets();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        AccountEndpoints.Map(app);
        MonitorEndpoints.Map(app, options);
        ExtensionEndpoints.Map(app);
        CdrEndpoints.Map(app);
        StatsEndpoints.Map(app);
        AdminEndpoints.Map(app);
        FlowEndpoints.Map(app);
        IvrConfigEndpoints.Map(app);
        VoicemailEndpoints.Map(app);
        CampaignEndpoints.Map(app);
        ContactCentreEndpoints.Map(app);
        AcdEndpoints.Map(app);
        EventEndpoints.Map(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> ctx, int apiStatus)
    {
        var path = ctx.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/metrics") || ctx.Request.Headers.Accept.ToString().Contains("application/json"))
        {
            ctx.Response.StatusCode = apiStatus;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    private static readonly AdminSection[] CoreSections =
    [
        new("/", "Dashboard", Icons.Material.Filled.Dashboard, Policies.Monitor, "Monitor", 0),
        new("/registrations", "Registrations", Icons.Material.Filled.SettingsPhone, Policies.Monitor, "Monitor", 10),
        new("/calls", "LiveCalls", Icons.Material.Filled.Call, Policies.Monitor, "Monitor", 20),
        new("/trunks", "Trunks", Icons.Material.Filled.Router, Policies.Monitor, "Monitor", 30),
        new("/acd", "AcdLive", Icons.Material.Filled.SupportAgent, Policies.Monitor, "ContactCentre", 0),
        new("/callbacks", "Callbacks", Icons.Material.Filled.PhoneCallback, Policies.Supervise, "ContactCentre", 20),
        new("/campaigns", "Campaigns", Icons.Material.Filled.Campaign, Policies.Supervise, "ContactCentre", 30),
        new("/queues", "QueuesAndAgents", Icons.Material.Filled.Groups, Policies.Supervise, "ContactCentre", 40),
        new("/conferences", "Conferences", Icons.Material.Filled.Groups3, Policies.Supervise, "ContactCentre", 50),
        new("/flows", "Flows", Icons.Material.Filled.AccountTree, Policies.Supervise, "Ivr", 0),
        new("/prompts", "Prompts", Icons.Material.Filled.RecordVoiceOver, Policies.Supervise, "Ivr", 10),
        new("/schedules", "Schedules", Icons.Material.Filled.EventNote, Policies.Supervise, "Ivr", 20),
        new("/hotlines", "Hotlines", Icons.Material.Filled.PhoneForwarded, Policies.Supervise, "Ivr", 30),
        new("/blacklist", "Blacklist", Icons.Material.Filled.Block, Policies.Supervise, "Ivr", 40),
        new("/voicemail", "Voicemail", Icons.Material.Filled.Voicemail, Policies.Supervise, "Ivr", 50),
        new("/followme", "FollowMe", Icons.Material.Filled.PhoneForwarded, Policies.Supervise, "Ivr", 60),
        new("/extensions", "Extensions", Icons.Material.Filled.Dialpad, Policies.Supervise, "Configure", 0),
        new("/routes", "Routes", Icons.Material.Filled.AltRoute, Policies.Supervise, "Configure", 10),
        new("/cdrs", "CallRecords", Icons.Material.Filled.ListAlt, Policies.Supervise, "Records", 0),
        new("/stats", "Statistics", Icons.Material.Filled.BarChart, Policies.Supervise, "Records", 10),
        new("/ivr-calls", "IvrCallLog", Icons.Material.Filled.ListAlt, Policies.Supervise, "Records", 20),
        new("/system", "System", Icons.Material.Filled.Settings, Policies.Admin, "System", 0),
        new("/users", "Users", Icons.Material.Filled.People, Policies.Admin, "System", 10),
        new("/tokens", "ApiTokens", Icons.Material.Filled.Key, Policies.Admin, "System", 20),
        new("/audit", "AuditLog", Icons.Material.Filled.History, Policies.Admin, "System", 30),
        new("/backup", "Backup", Icons.Material.Filled.Backup, Policies.Admin, "System", 40),
    ];
}

/// <summary>Creates the first admin on first start (no users yet), printing a generated password once.</summary>
internal sealed class InitialAdmin(UserService users) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        users.EnsureInitialAdmin(Console.Out);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
