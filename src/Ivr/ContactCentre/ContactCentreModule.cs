using Hotline.Switch.Calls;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Ivr.Prompts;
using Hotline.Switch;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Plugs the contact centre into a switch (and the IVR, when there is one): the queue and conference
/// destinations for routed calls and for flows, the agent and supervisor feature codes beside the IVR's,
/// overflow to the IVR's destinations, prompts from the IVR's library, the store for configuration. The
/// composition root builds one after the switch and the IVR, and starts it after them.
/// </summary>
public sealed class ContactCentreModule : IAsyncDisposable
{
    private readonly IvrModule? _ivr;
    private readonly ContactCentreOptions _options;
    private readonly ILogger _logger;

    /// <param name="media">Mixing rooms (conference, supervision); null until the media engine offers them.</param>
    /// <param name="live">Control of bridged calls (supervision, three-way, playback); null until call control offers it.</param>
    public ContactCentreModule(HotlineSwitch sw, IvrModule? ivr, ContactCentreOptions options, TimeProvider time, ILoggerFactory loggers,
        IConferenceMedia? media = null, ILiveCalls? live = null, IAgentConnector? connector = null)
    {
        _ivr = ivr;
        _options = options;
        _logger = loggers.CreateLogger("Hotline.Ivr.ContactCentre");
        var destinations = ivr?.Services.Destinations;
        Host = new ContactCentreHost(options, new LiteDbContactCentreRepository(sw.Store), new ContactCentreHooks
        {
            Originator = sw.Calls,
            Time = time,
            Loggers = loggers,
            RecordingsRoot = Path.Combine(sw.Store.DataDirectory, sw.Settings.Calls.RecordingsFolder),
            Extensions = sw.Stack.Extensions,
            Destinations = destinations is null ? null : kind => destinations.Find(new RouteTarget(kind, "")),
            Connector = connector,
            Media = media,
            LiveCalls = live,
            Cdrs = sw.Cdrs,
            Routes = sw.RouteRepository,
            Prompts = ivr?.Services.Prompts,
        });
        sw.Calls.RegisterDestination(RouteTargetKind.Queue, Host.Queues);
        if (Host.Conferences is { } rooms) sw.Calls.RegisterDestination(RouteTargetKind.Conference, rooms);
        if (destinations is not null)
        {
            // The IVR owns the feature-code dispatch (*97 voicemail …); ours go in beside its codes.
            ivr!.RegisterQueue(Host.Queues);
            if (Host.Conferences is { } r) destinations.Register(RouteTargetKind.Conference, r);
            foreach (var code in options.FeatureCodes.All) destinations.RegisterFeature(code, Host.Features);
        }
        else sw.Calls.RegisterDestination(RouteTargetKind.Feature, Host.Features);
    }

    public ContactCentreHost Host { get; }

    /// <summary>Loads queues, agents and rooms, restores logins, and speaks missing prompts when the IVR generates prompts.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        Host.Start();
        if (_ivr is { Services.Options.GeneratePrompts: true } ivr)
        {
            var texts = _options.Prompts.EnglishTexts().Select(t => (t.Name, t.Text, (string?)null));
            await new PromptGenerator(ivr.Services.Prompts, _logger).GenerateMissingAsync(texts, ivr.Services.Options.PromptVoice, ct).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
