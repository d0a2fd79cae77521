using Hotline;
using Hotline.Admin;
using Hotline.Switch;
using Hotline.Switch.Api;
using Hotline.Switch.Auth;
using Hotline.Switch.Registrar;
using Hotline.Switch.Store;

// Composition root: configuration, hosting, wiring. The demo configuration (samples/demo/appsettings.json)
// is the embedded default, copied beside the executable; environment variables (Sip__Port=5070) and the
// command line (--Sip:Port 5070) override it.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
// --ConfigFile site.json lays a site's own settings over the demo defaults (a deployment, a test).
if (builder.Configuration["ConfigFile"] is { Length: > 0 } siteFile)
{
    builder.Configuration.AddJsonFile(Path.GetFullPath(siteFile), optional: false, reloadOnChange: false);
    builder.Configuration.AddEnvironmentVariables();
    builder.Configuration.AddCommandLine(args);
}
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(builder.Configuration.GetSection("Sip").Get<SipOptions>() ?? new SipOptions());
builder.Services.AddSingleton(builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions());
var security = builder.Configuration.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions();
// The binder appends configured array items to the default ones ([MD5, SHA-256, MD5, SHA-256]): the configured list replaces them.
if (builder.Configuration.GetSection("Security:DigestAlgorithms").Get<string[]>() is { Length: > 0 } offered) security.DigestAlgorithms = [.. offered.Distinct(StringComparer.OrdinalIgnoreCase)];
builder.Services.AddSingleton(security);
builder.Services.AddSingleton(builder.Configuration.GetSection("Registrar").Get<RegistrarOptions>() ?? new RegistrarOptions());
builder.Services.AddSingleton(sp => new HotlineStore(sp.GetRequiredService<StorageOptions>()));
builder.Services.AddSingleton(sp => new SipStack(sp.GetRequiredService<SipOptions>(), sp.GetRequiredService<SecurityOptions>(),
    sp.GetRequiredService<RegistrarOptions>(), sp.GetRequiredService<HotlineStore>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
builder.Services.AddHostedService<SwitchService>();

// Admin panel and REST API (Admin:Urls), over the switch's query and command interfaces.
builder.Services.AddSwitchApi();
builder.AddHotlineAdmin();

var app = builder.Build();
app.MapHotlineAdmin();
await app.RunAsync();
