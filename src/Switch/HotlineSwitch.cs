using Hotline.Media.Engine;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch;

/// <summary>Everything the switch is configured with, read from configuration by the composition root.</summary>
public sealed class SwitchSettings
{
    public SipOptions Sip { get; init; } = new();
    public SecurityOptions Security { get; init; } = new();
    public RegistrarOptions Registrar { get; init; } = new();
    public CallOptions Calls { get; init; } = new();
    public MediaSettings Media { get; init; } = new();
    public NumberingOptions Numbering { get; init; } = new();
    public IReadOnlyList<ExtensionConfig> Extensions { get; init; } = [];
    public IReadOnlyList<TrunkConfig> Trunks { get; init; } = [];
    public IReadOnlyList<OutboundRouteConfig> OutboundRoutes { get; init; } = [];
    public IReadOnlyList<InboundRouteConfig> InboundRoutes { get; init; } = [];
}

/// <summary>
/// The whole switch wired together: SIP stack, media engine, dial plan and trunks, call control and
/// CDRs, over one store. The executable builds one from configuration; tests can build one directly.
/// </summary>
public sealed class HotlineSwitch : IAsyncDisposable
{
    private readonly ILogger _logger;

    public HotlineSwitch(SwitchSettings settings, HotlineStore store, TimeProvider time, ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger("Hotline");
        Settings = settings;
        Store = store;
        Stack = new SipStack(settings.Sip, settings.Security, settings.Registrar, store, time, loggers);
        SeededExtensions = ExtensionSeed.Apply(Stack.Extensions, settings.Extensions, settings.Sip.Realm);
        TrunkRepository = new LiteDbTrunkRepository(store);
        RouteRepository = new LiteDbRouteRepository(store);
        TrunkSeed.Apply(TrunkRepository, settings.Trunks);
        RouteSeed.Apply(RouteRepository, TrunkRepository, settings.OutboundRoutes, settings.InboundRoutes);
        DialPlan = new DialPlan(Stack.Extensions, RouteRepository, TrunkRepository, new NumberingPlan(settings.Numbering));
        var local = LocalContact.From(Stack.AdvertisedEndPoint);
        Trunks = new TrunkManager(TrunkRepository, Stack.Transactions, local, loggers.CreateLogger("Hotline.Switch.Trunks"), userAgent: settings.Sip.UserAgent);
        Media = new MediaEngine(settings.Media.ToEngineOptions(settings.Sip, store.DataDirectory), time, loggerFactory: loggers);
        Cdrs = new LiteDbCdrStore(store);
        CallMedia = new EngineCallMedia(Media);
        Qualifier = new BindingQualifier(Stack.Bindings, Stack.Transactions, local, time, TimeSpan.FromSeconds(settings.Registrar.QualifySeconds),
            loggers.CreateLogger("Hotline.Switch.Registrar"));
        Calls = new CallManager(new CallContext
        {
            Transactions = Stack.Transactions, Core = Stack.Core, Local = local, Media = CallMedia,
            Bindings = Stack.Bindings, Router = DialPlan, Trunks = Trunks, Cdrs = Cdrs, Options = settings.Calls, Time = time,
            Loggers = loggers, RecordingsRoot = Path.Combine(store.DataDirectory, settings.Calls.RecordingsFolder), Domain = settings.Sip.Realm,
            IsReachable = Qualifier.IsReachable,
        });
        LiveCalls = new LiveCalls(Calls, Rooms);
        Stack.Core.Register(SipMethod.Invite, Calls);
        Stack.Core.Dialogs = Calls;
        foreach (var tag in new[] { "100rel", "timer", "replaces" }) Stack.Core.SupportedOptionTags.Add(tag);
        Stack.Core.IsTrustedSource = m => Trunks.MatchInbound(m) is not null;
        var udp = Stack.Transports.Udp;
        Overload = new OverloadControl(settings.Calls, time, () => Calls.ActiveCalls, loggers.CreateLogger("Hotline.Switch.Overload"),
            receiveQueueFill: () => udp.ReceiveQueueFill,
            exempt: number => DialPlan.Numbering.Parse(NumberingPlan.Clean(number)).Kind == NumberKind.Emergency);
        Stack.Core.Admission = Overload;
    }

    public SwitchSettings Settings { get; }
    public HotlineStore Store { get; }
    public SipStack Stack { get; }
    public int SeededExtensions { get; }
    public LiteDbTrunkRepository TrunkRepository { get; }
    public LiteDbRouteRepository RouteRepository { get; }
    public DialPlan DialPlan { get; }
    public TrunkManager Trunks { get; }
    public MediaEngine Media { get; }
    public ICdrStore Cdrs { get; }
    public EngineCallMedia CallMedia { get; }
    /// <summary>Live calls for the contact centre (supervision, transfers by command).</summary>
    public LiveCalls LiveCalls { get; }
    /// <summary>Mixing rooms when the media engine offers them (conference rooms, supervision); else null.</summary>
    public IMediaRooms? Rooms => (ICallMedia)CallMedia as IMediaRooms;
    public BindingQualifier Qualifier { get; }
    public CallManager Calls { get; }
    /// <summary>Sheds new calls with 503 when the switch falls behind or reaches Calls:MaxConcurrentCalls.</summary>
    public OverloadControl Overload { get; }

    public void Start()
    {
        // Recordings left half-written by a crash get valid headers before anything else touches them.
        var recordings = Path.Combine(Store.DataDirectory, Settings.Calls.RecordingsFolder);
        if (Directory.Exists(recordings))
        {
            var repaired = Hotline.Media.Recording.WavRepair.RepairTree(recordings).Count(r => r.Outcome == Hotline.Media.Recording.WavRepairOutcome.Repaired);
            if (repaired > 0) _logger.LogWarning("repaired {Count} recordings left incomplete by an earlier crash", repaired);
        }
        Stack.Start();
        Trunks.Start();
    }

    public async ValueTask DisposeAsync()
    {
        // Trunks unregister first (Expires: 0 needs the transports), then calls' media, then SIP.
        Qualifier.Dispose();
        Overload.Dispose();
        await Trunks.DisposeAsync();
        await Media.DisposeAsync();
        await Stack.DisposeAsync();
    }
}
