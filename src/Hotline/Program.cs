using Hotline;
using Hotline.Admin;
using Hotline.Ivr;
using Hotline.Ivr.ContactCentre;
using Hotline.Switch;
using Hotline.Switch.Api;
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
builder.Services.AddSingleton(Configuration.Storage(builder.Configuration));
builder.Services.AddSingleton(Configuration.Switch(builder.Configuration));
// The store and the switch are built by the container (the admin API reads them) and started by SwitchService.
builder.Services.AddSingleton(sp => new HotlineStore(sp.GetRequiredService<StorageOptions>()));
builder.Services.AddSingleton(sp => new HotlineSwitch(sp.GetRequiredService<SwitchSettings>(), sp.GetRequiredService<HotlineStore>(),
    sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
// Call flows (IVR, schedules, blacklist, voicemail with MWI, follow-me, campaigns) run on the switch's call channel.
builder.Services.AddSingleton(sp => new IvrModule(sp.GetRequiredService<HotlineSwitch>(),
    builder.Configuration.GetSection("Ivr").Get<IvrOptions>() ?? new IvrOptions(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
// The contact centre (queues, agents, conference rooms, supervision) beside the IVR.
builder.Services.AddSingleton(sp =>
{
    var sw = sp.GetRequiredService<HotlineSwitch>();
    return new ContactCentreModule(sw, sp.GetRequiredService<IvrModule>(),
        builder.Configuration.GetSection("ContactCentre").Get<ContactCentreOptions>() ?? new ContactCentreOptions(),
        sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), sw.Rooms, sw.LiveCalls, new ParallelAgentConnector());
});
builder.Services.AddHostedService<SwitchService>();
// The panel and the API reach the IVR and the contact centre through their services (flows, queues, agents …).
builder.Services.AddSingleton(sp => sp.GetRequiredService<IvrModule>().Services);
builder.Services.AddSingleton(sp => sp.GetRequiredService<ContactCentreModule>().Host);

// Admin panel and REST API (Admin:Urls), over the switch's query and command interfaces.
builder.Services.AddSwitchApi();
builder.AddHotlineAdmin();

var app = builder.Build();
app.MapHotlineAdmin();
await app.RunAsync();
