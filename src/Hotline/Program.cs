using Hotline;
using Hotline.Switch;
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
builder.Services.AddSingleton(Configuration.Storage(builder.Configuration));
builder.Services.AddSingleton(Configuration.Switch(builder.Configuration));
builder.Services.AddHostedService<SwitchService>();

using var host = builder.Build();
await host.RunAsync();
