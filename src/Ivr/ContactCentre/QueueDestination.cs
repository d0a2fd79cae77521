using System.Globalization;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// The destination for <see cref="RouteTargetKind.Queue"/>: answers, joins the caller to the queue named
/// by the target (its number), and carries out what the engine decides for them until they are connected
/// to an agent, overflow, ask for a callback, or hang up. Flow variables steer it: "priority" (an integer,
/// higher first) and "skills" ("tax:3,english" — level 1 when omitted).
/// </summary>
public sealed class QueueDestination : ICallDestination
{
    /// <summary>Overflow into another queue may chain, but not forever (a loop in the configuration).</summary>
    private const int MaxQueueHops = 4;

    private readonly AcdEngine _engine;
    private readonly IContactCentreRepository _repository;
    private readonly IAgentConnector _connector;
    private readonly PromptFiles _prompts;
    private readonly Func<RouteTargetKind, ICallDestination?> _destinations;
    private readonly ILogger _logger;

    /// <param name="destinations">Finds the destination for an overflow to an IVR flow, voicemail or conference (null if none).</param>
    public QueueDestination(AcdEngine engine, IContactCentreRepository repository, IAgentConnector connector, PromptFiles prompts,
        Func<RouteTargetKind, ICallDestination?> destinations, ILoggerFactory loggers)
    {
        _engine = engine;
        _repository = repository;
        _connector = connector;
        _prompts = prompts;
        _destinations = destinations;
        _logger = loggers.CreateLogger("Hotline.Ivr.ContactCentre");
    }

    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        try
        {
            var queue = target.Value;
            for (int hop = 0; hop < MaxQueueHops; hop++)
            {
                var definition = _repository.FindQueue(queue);
                var session = new QueueSession(this, call, definition, queue);
                var next = await session.RunAsync().ConfigureAwait(false);
                if (next is null) return;
                queue = next;
            }
            _logger.LogWarning("call {Call}: overflow chain too long, ending at queue {Queue}", call.CallId, queue);
            await EndWithBusyAsync(call).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested)
        {
            // The caller hung up; the session has told the engine.
        }
    }

    internal AcdEngine Engine => _engine;
    internal IAgentConnector Connector => _connector;
    internal PromptFiles Prompts => _prompts;
    internal ILogger Logger => _logger;

    internal ICallDestination? Destination(RouteTargetKind kind) => _destinations(kind);

    internal static async Task EndWithBusyAsync(ICallChannel call)
    {
        if (call.Ended.IsCancellationRequested) return;
        await call.PlayToneAsync(CallSound.Busy, TimeSpan.FromSeconds(3), call.Ended).ConfigureAwait(false);
        await call.HangupAsync(486).ConfigureAwait(false);
    }

    /// <summary>Reads "priority" and "skills" from the flow's variables; malformed values are ignored, not fatal.</summary>
    internal static (int Priority, IReadOnlyDictionary<string, int>? Skills) Steering(IDictionary<string, string> variables)
    {
        int priority = variables.TryGetValue("priority", out var p) && int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, -100, 100) : 0;
        Dictionary<string, int>? skills = null;
        if (variables.TryGetValue("skills", out var s) && s.Length > 0)
        {
            foreach (var item in s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = item.Split(':', 2, StringSplitOptions.TrimEntries);
                if (parts[0].Length == 0) continue;
                int level = parts.Length == 2 && int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 10) : 1;
                (skills ??= new Dictionary<string, int>(StringComparer.Ordinal))[parts[0]] = level;
            }
        }
        return (priority, skills);
    }
}
