using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.Tests.Support;
using Hotline.Switch;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// The real switch with the IVR plugged in, in this process, on loopback: what the executable wires together
/// (HotlineSwitch, IvrModule) over a data directory of its own. Disposing it stops the IVR first (the campaign
/// dialer lets its calls finish), then the switch, then closes the store; starting another on the same
/// directory is a restart.
/// </summary>
internal sealed class IvrOnLoopback : IAsyncDisposable
{
    private readonly HotlineStore _store;
    private readonly FileLog _log;
    private bool _disposed;

    private IvrOnLoopback(HotlineStore store, FileLog log, HotlineSwitch sw, IvrModule ivr, ContactCentreModule? centre)
    {
        _store = store;
        _log = log;
        Switch = sw;
        Ivr = ivr;
        Centre = centre;
    }

    public HotlineSwitch Switch { get; }
    public IvrModule Ivr { get; }
    /// <summary>The contact centre (queues flows hand callers to), when asked for.</summary>
    public ContactCentreModule? Centre { get; }
    public IvrServices Services => Ivr.Services;
    public string DataDirectory => _store.DataDirectory;
    public string Target => $"127.0.0.1:{Switch.Stack.Port}";

    /// <summary>
    /// The IVR's options for tests: no speech synthesis (the tests write their own short prompts) and a quick
    /// campaign pump.
    /// </summary>
    public static IvrOptions Options => new() { GeneratePrompts = false, CampaignPumpMilliseconds = 20 };

    /// <summary>
    /// Builds the switch and the IVR over <paramref name="dataDirectory"/>; <paramref name="prepare"/> runs on the
    /// IVR's services before anything starts (flows, prompts, hotlines, campaigns), as seeding does. With
    /// <paramref name="queues"/> the contact centre is plugged in too, as the executable does. Everything logs to
    /// <paramref name="logFile"/>.
    /// </summary>
    public static async Task<IvrOnLoopback> StartAsync(string dataDirectory, string logFile, SwitchSettings settings,
        Action<IvrServices>? prepare = null, ContactCentreOptions? queues = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var log = new FileLog(logFile);
        // Several switches share this test process's thread pool (and its blocking test code): one switch's
        // queue delay would be the others' load, so overload control stays off here (OverloadControlTests cover it).
        settings.Calls.OverloadQueueDelayMs = 0;
        var store = new HotlineStore(new StorageOptions { DataDirectory = dataDirectory });
        var sw = new HotlineSwitch(settings, store, TimeProvider.System, log);
        var ivr = new IvrModule(sw, Options, TimeProvider.System, log);
        var centre = queues is null ? null : new ContactCentreModule(sw, ivr, queues, TimeProvider.System, log);
        prepare?.Invoke(ivr.Services);
        sw.Start();
        await ivr.StartAsync(AppContext.BaseDirectory, ct);
        if (centre is not null) await centre.StartAsync(ct);
        return new IvrOnLoopback(store, log, sw, ivr, centre);
    }

    /// <summary>
    /// Binds <paramref name="extension"/> to a phone (a SIPp user agent) on <paramref name="port"/>, as its REGISTER
    /// would (the registrar has its own tests).
    /// </summary>
    public void BindPhone(string extension, int port) =>
        Switch.Stack.Bindings.Apply(extension, new RegisterUpdate($"reg-{extension}-{port}", 1, false, [new ContactUpdate($"sip:{extension}@127.0.0.1:{port}", "", 3600)],
            SipTransportKind.Udp, "127.0.0.1", port, 0, "sipp"), out _);

    /// <summary>Writes a short prompt (a tone of <paramref name="seconds"/>) into the data folder's prompt library.</summary>
    public static void WritePrompt(IvrServices services, string name, double seconds = 0.4, double hz = 440) =>
        TestWav.WriteTone(services.Prompts.PathOf(name), seconds, hz);

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        if (Centre is not null) await Centre.DisposeAsync();
        await Ivr.DisposeAsync();
        await Switch.DisposeAsync();
        _store.Dispose();
        _log.Dispose();
    }
}
