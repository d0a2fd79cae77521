using Hotline.Interop.Tests.Harness;
using Hotline.Ivr;
using Hotline.Ivr.ContactCentre;
using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Calls;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SwitchHost = Hotline.Switch.HotlineSwitch;

namespace Hotline.Interop.Tests;

/// <summary>
/// The demo's switch, IVR and contact centre composed in this process the way the executable composes them
/// (same configuration, same modules), on a free port, so a test can call the contact centre's services
/// directly while real phones talk to the switch. Logs go to switch.log in its folder.
/// </summary>
public sealed class InProcessContactCentre : IAsyncLifetime
{
    private ILoggerFactory? _loggers;
    private HotlineStore? _store;
    private IvrModule? _ivr;
    private int _failures;

    public string Directory { get; private set; } = "";
    public SwitchHost Switch { get; private set; } = null!;
    public ContactCentreModule ContactCentre { get; private set; } = null!;

    /// <summary>HOST:PORT of the switch.</summary>
    public string Target => $"127.0.0.1:{Switch.Stack.Port}";

    public string LogPath => Path.Combine(Directory, "switch.log");

    /// <summary>A test against this switch failed: keep its log and data.</summary>
    public void MarkFailed() => Interlocked.Increment(ref _failures);

    public async ValueTask InitializeAsync()
    {
        Directory = Artefacts.NewDirectory("inprocess-contact-centre");
        var config = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json")).Build();
        var sip = config.GetSection("Sip").Get<SipOptions>() ?? new SipOptions();
        sip.ListenAddress = "127.0.0.1";
        sip.Port = FreePorts.UdpAndTcp();
        var media = config.GetSection("Media").Get<MediaSettings>() ?? new MediaSettings();
        media.RtpPortMin = 34000;
        media.RtpPortMax = 34998;
        var settings = new SwitchSettings
        {
            Sip = sip,
            Security = config.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions(),
            Registrar = config.GetSection("Registrar").Get<RegistrarOptions>() ?? new RegistrarOptions(),
            Calls = config.GetSection("Calls").Get<CallOptions>() ?? new CallOptions(),
            Media = media,
            Numbering = config.GetSection("Numbering").Get<NumberingOptions>() ?? new NumberingOptions(),
            Extensions = config.GetSection("Extensions").Get<List<ExtensionConfig>>() ?? [],
            Trunks = config.GetSection("Trunks").Get<List<TrunkConfig>>() ?? [],
            OutboundRoutes = config.GetSection("OutboundRoutes").Get<List<OutboundRouteConfig>>() ?? [],
            InboundRoutes = config.GetSection("InboundRoutes").Get<List<InboundRouteConfig>>() ?? [],
        };
        // Several switches share this test process's thread pool (and its blocking test code): one switch's
        // queue delay would be the others' load, so overload control stays off here (OverloadControlTests cover it).
        settings.Calls.OverloadQueueDelayMs = 0;
        _loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new FileLoggerProvider(LogPath)));
        _store = new HotlineStore(new StorageOptions { DataDirectory = Path.Combine(Directory, "data") });
        Switch = new SwitchHost(settings, _store, TimeProvider.System, _loggers);
        _ivr = new IvrModule(Switch, config.GetSection("Ivr").Get<IvrOptions>() ?? new IvrOptions(), TimeProvider.System, _loggers);
        ContactCentre = new ContactCentreModule(Switch, _ivr, config.GetSection("ContactCentre").Get<ContactCentreOptions>() ?? new ContactCentreOptions(),
            TimeProvider.System, _loggers, Switch.Rooms, Switch.LiveCalls, new ParallelAgentConnector());
        Switch.Start();
        await _ivr.StartAsync(AppContext.BaseDirectory, TestContext.Current.CancellationToken);
        await ContactCentre.StartAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Reverse order of making, as the executable's container does: nothing may outlive the store it uses.
        if (ContactCentre is not null) await ContactCentre.DisposeAsync();
        if (_ivr is not null) await _ivr.DisposeAsync();
        if (Switch is not null) await Switch.DisposeAsync();
        _store?.Dispose();
        _loggers?.Dispose();
        if (Volatile.Read(ref _failures) == 0 && Directory.Length > 0) Artefacts.Delete(Directory);
    }

    /// <summary>One line per entry, appended to a file (the in-process switch's equivalent of its console log).</summary>
    private sealed class FileLoggerProvider(string path) : ILoggerProvider
    {
        private readonly StreamWriter _file = new(path, append: true) { AutoFlush = true };
        private readonly Lock _gate = new();

        public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

        public void Dispose()
        {
            lock (_gate)
                _file.Dispose();
        }

        private void Write(string line)
        {
            lock (_gate)
                _file.WriteLine(line);
        }

        private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel))
                    owner.Write($"{TimeProvider.System.GetUtcNow():HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}
