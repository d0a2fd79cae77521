using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Campaigns;
using Hotline.Ivr.Destinations;
using Hotline.Ivr.Engine;
using Hotline.Ivr.Flows;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Prompts;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr;

/// <summary>
/// Every IVR service over one store: what the REST API and panel call (flows, prompts, schedules, hotlines,
/// blacklist, voicemail, follow-me, campaigns, the call log) and the destinations call control runs. Knows
/// nothing of SIP; <see cref="IvrModule"/> plugs it into a running switch.
/// </summary>
public sealed class IvrServices : IAsyncDisposable, IFlowReferences
{
    public IvrServices(HotlineStore store, IvrOptions options, ICallOriginator? originator, TimeProvider time, ILoggerFactory loggers)
    {
        options.Validate();
        Options = options;
        var log = loggers.CreateLogger("Hotline.Ivr");
        Prompts = new PromptLibrary(store, time, options.PromptsFolder, options.PromptFallbacks);
        CallPrompts = new CallPrompts(Prompts, log);
        Flows = new FlowService(new LiteDbFlowRepository(store), time) { References = this };
        Schedules = new ScheduleService(store, time);
        Blacklist = new BlacklistService(store, time);
        Voicemail = new VoicemailService(store, time, loggers.CreateLogger("Hotline.Ivr.Voicemail"), options.VoicemailFolder);
        VoicemailCalls = new VoicemailCalls(Voicemail, CallPrompts, log);
        BlacklistCalls = new BlacklistCalls(CallPrompts, VoicemailCalls, log);
        Hotlines = new HotlineService(store);
        FollowMe = new FollowMeService(store, CallPrompts, log);
        CallLog = new IvrCallLog(store);
        Destinations = new CallDestinations();
        Http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        Interpreter = new FlowInterpreter(Flows, CallPrompts, Schedules, Blacklist, VoicemailCalls, Destinations, Http, time,
            Path.Combine(store.DataDirectory, "recordings"), loggers.CreateLogger("Hotline.Ivr.Flows")) { BlacklistActions = BlacklistCalls };
        Campaigns = new CampaignService(new CampaignStore(store), time);
        if (originator is not null)
        {
            Dialer = new CampaignDialer(Campaigns.Store, originator, Blacklist, Schedules, CallPrompts, time, loggers.CreateLogger("Hotline.Ivr.Campaigns"))
            {
                PumpInterval = TimeSpan.FromMilliseconds(options.CampaignPumpMilliseconds),
            };
        }
        Ivr = new IvrDestination(Hotlines, Schedules, Blacklist, BlacklistCalls, Interpreter, VoicemailCalls, FollowMe, Destinations, CallLog, time, log);
        VoicemailDestination = new VoicemailDestination(VoicemailCalls, FollowMe);
        Destinations.Register(RouteTargetKind.Ivr, Ivr);
        Destinations.Register(RouteTargetKind.Voicemail, VoicemailDestination);
        Destinations.RegisterFeature(options.VoicemailCode, new VoicemailFeature(VoicemailCalls, options.VoicemailCode, ownMailbox: true));
        Destinations.RegisterFeature(options.VoicemailAnyCode, new VoicemailFeature(VoicemailCalls, options.VoicemailAnyCode, ownMailbox: false));
        Destinations.RegisterFeature(options.PromptRecordCode, new PromptRecordingFeature(Prompts, CallPrompts, options.PromptRecordCode, options.PromptRecorders, options.PromptPin, log));
        _logger = log;
    }

    private readonly ILogger _logger;

    public IvrOptions Options { get; }
    public PromptLibrary Prompts { get; }
    public CallPrompts CallPrompts { get; }
    public FlowService Flows { get; }
    public ScheduleService Schedules { get; }
    public BlacklistService Blacklist { get; }
    public BlacklistCalls BlacklistCalls { get; }
    public VoicemailService Voicemail { get; }
    public VoicemailCalls VoicemailCalls { get; }
    public HotlineService Hotlines { get; }
    public FollowMeService FollowMe { get; }
    public IvrCallLog CallLog { get; }
    /// <summary>Destinations by kind and feature code; flows hand callers to queues through it too.</summary>
    public CallDestinations Destinations { get; }
    public FlowInterpreter Interpreter { get; }
    public CampaignService Campaigns { get; }
    public CampaignDialer? Dialer { get; }
    public IvrDestination Ivr { get; }
    public VoicemailDestination VoicemailDestination { get; }
    public HttpClient Http { get; }

    /// <summary>Seeds the configured bundles, generates missing prompts, and starts the campaign dialer.</summary>
    public async Task StartAsync(string contentRoot, CancellationToken ct)
    {
        foreach (var file in Options.SeedFiles)
        {
            var path = Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file);
            var counts = IvrSeed.Apply(path, this);
            _logger.LogInformation("IVR bundle {File}: {Counts}", path, counts);
        }
        if (Options.GeneratePrompts)
        {
            var texts = SystemPrompts.EnglishTexts.Select(t => (t.Key, t.Value, (string?)null))
                .Concat(Prompts.Metadata().Where(m => m.Text is not null).Select(m => (m.Name, m.Text!, m.Voice)));
            await new PromptGenerator(Prompts, _logger).GenerateMissingAsync(texts, Options.PromptVoice, ct);
        }
        Dialer?.Start();
    }

    public bool PromptExists(string name) => Prompts.Exists(name);
    public bool ScheduleExists(string id) => Schedules.Exists(id);
    public bool FlowExists(string id) => Flows.Exists(id);
    public bool MailboxExists(string id) => Voicemail.MailboxExists(id);

    public async ValueTask DisposeAsync()
    {
        if (Dialer is not null) await Dialer.DisposeAsync();
        Http.Dispose();
    }
}
