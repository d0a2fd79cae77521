using Hotline;
using Hotline.Switch;
using Hotline.Switch.Auth;
using Hotline.Switch.Registrar;
using Hotline.Switch.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Composition root: configuration, hosting, wiring. The demo configuration (samples/demo/appsettings.json)
// is the embedded default, copied beside the executable; environment variables (Sip__Port=5070) and the
// command line (--Sip:Port 5070) override it.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
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
builder.Services.AddHostedService<SwitchService>();

using var host = builder.Build();
await host.RunAsync();
