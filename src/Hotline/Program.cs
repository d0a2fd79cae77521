using Microsoft.Extensions.Hosting;

// Composition root: configuration, hosting, wiring. The demo configuration is the embedded default
// (appsettings.json beside the executable); environment variables and the command line override it.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
using var host = builder.Build();
await host.RunAsync();
