using Hotline.Ivr.ContactCentre.Conference;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Ivr.Prompts;
using Hotline.Switch.Accounts;
using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>What the contact centre is built on: the switch's services, and the optional media hooks.</summary>
public sealed class ContactCentreHooks
{
    public required ICallOriginator Originator { get; init; }
    public required TimeProvider Time { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    /// <summary>Absolute folder of recordings (conference recordings are filed under it; only files under it may be played into calls).</summary>
    public required string RecordingsRoot { get; init; }
    /// <summary>Known extensions, so callbacks and click-to-dial ring a local number directly.</summary>
    public IExtensionRepository? Extensions { get; init; }
    /// <summary>Destinations for overflow to IVR flows and voicemail (conference rooms are ours).</summary>
    public Func<RouteTargetKind, ICallDestination?>? Destinations { get; init; }
    public IAgentConnector? Connector { get; init; }
    /// <summary>Mixing rooms; without them there are no conference rooms.</summary>
    public IConferenceMedia? Media { get; init; }
    /// <summary>Live-call control; with <see cref="Media"/>, enables supervision, three-way, warm transfer and playback.</summary>
    public ILiveCalls? LiveCalls { get; init; }
    public ICdrStore? Cdrs { get; init; }
    /// <summary>The dial plan's routes: queue and room numbers get inbound routes (see <see cref="ContactCentreDirectory"/>).</summary>
    public IRouteRepository? Routes { get; init; }
    /// <summary>The prompt library that turns prompt names into files (null: names are passed as they are).</summary>
    public IPromptResolver? Prompts { get; init; }
}

/// <summary>
/// The contact centre, assembled: what the composition root registers as destinations and what the admin
/// panel's API calls. <see cref="Start"/> loads the configuration into the store and the engine.
/// </summary>
public sealed class ContactCentreHost : IAsyncDisposable
{
    private readonly ContactCentreOptions _options;
    private readonly StoreWriter _writer;

    public ContactCentreHost(ContactCentreOptions options, IContactCentreRepository repository, ContactCentreHooks hooks)
    {
        _options = options;
        Repository = repository;
        Engine = new AcdEngine(hooks.Time, hooks.Loggers, options.RandomSeed);
        Events = new ContactCentreEvents(hooks.Time);
        _writer = new StoreWriter(hooks.Loggers);
        Directory = new ContactCentreDirectory(Engine, repository, hooks.Routes);
        Agents = new AgentService(Engine, repository, _writer, options);
        Abandoned = new AbandonedCalls(Engine, repository, _writer, TimeSpan.FromSeconds(options.ShortAbandonSeconds));
        var targets = new NumberTargets(hooks.Extensions);
        Prompts = new PromptFiles(options.Prompts, hooks.Prompts, hooks.Loggers.CreateLogger("Hotline.Ivr.ContactCentre"));
        Callbacks = new CallbackDialer(Engine, hooks.Originator, repository, Prompts, targets, hooks.Loggers);
        Engine.Unclaimed = Callbacks.Handle;
        Engine.AddObserver(Events);
        Engine.AddObserver(Agents);
        Engine.AddObserver(Abandoned);
        ClickToDial = new ClickToDialService(Engine, hooks.Originator, targets, options.ClickToDial, Events);
        if (hooks.Media is { } media)
        {
            Conferences = new ConferenceService(repository, media, Prompts, Events, hooks.Time, hooks.RecordingsRoot);
            if (hooks.LiveCalls is { } live)
            {
                var rooms = new LiveCallRooms(live, media);
                Supervisors = new SupervisorService(rooms, repository, Events, hooks.Time);
                if (hooks.Cdrs is { } cdrs) CallControl = new CallControlService(rooms, hooks.Originator, targets, cdrs, hooks.RecordingsRoot, Events);
            }
        }
        var destinations = hooks.Destinations;
        Queues = new QueueDestination(Engine, repository, hooks.Connector ?? new ChannelAgentConnector(), Prompts,
            kind => kind == RouteTargetKind.Conference ? Conferences : destinations?.Invoke(kind), hooks.Loggers);
        Features = new AgentFeatureDestination(Agents, Supervisors, options.FeatureCodes, Prompts);
    }

    public IContactCentreRepository Repository { get; }
    public PromptFiles Prompts { get; }
    public AcdEngine Engine { get; }
    public ContactCentreEvents Events { get; }
    public ContactCentreDirectory Directory { get; }
    public AgentService Agents { get; }
    public AbandonedCalls Abandoned { get; }
    public CallbackDialer Callbacks { get; }
    public ClickToDialService ClickToDial { get; }
    /// <summary>The destination for <see cref="RouteTargetKind.Queue"/>.</summary>
    public QueueDestination Queues { get; }
    /// <summary>The destination for the agent and supervisor codes among <see cref="RouteTargetKind.Feature"/> (see <see cref="AgentFeatureDestination.Handles"/>).</summary>
    public AgentFeatureDestination Features { get; }
    /// <summary>The destination for <see cref="RouteTargetKind.Conference"/>, when media rooms are available.</summary>
    public ConferenceService? Conferences { get; }
    public SupervisorService? Supervisors { get; }
    public CallControlService? CallControl { get; }

    /// <summary>Seeds the store from the configuration, hands queues and agents to the engine, restores logins.</summary>
    public void Start()
    {
        Directory.Load(_options);
        Agents.RestoreSessions();
    }

    /// <summary>Completes once the engine has applied everything posted so far and the store writes it caused are done.</summary>
    public async Task FlushAsync()
    {
        await Engine.FlushAsync().ConfigureAwait(false);
        await _writer.FlushAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Engine.Dispose();
        await _writer.DisposeAsync().ConfigureAwait(false);
    }
}
