namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>
/// The automatic call distributor as a pure state machine: queues, agents and waiting calls change only
/// through <see cref="Apply"/>, which reads no clock, no thread and no hash order, so one event log always
/// yields the same decisions. The host runs it on one logical thread (<see cref="AcdEngine"/>).
/// </summary>
/// <remarks>
/// One machine serves every queue rather than one per queue because an agent belongs to several queues:
/// with a machine per queue, two queues could reserve the same agent at once (the ringinuse races that
/// Asterisk's app_queue and mod_callcenter keep fixing). A decision costs microseconds (see the
/// benchmark), far below the call rates of the largest 12345 centres.
/// <para>
/// After every input the engine is work-conserving: no waiting caller has a free agent able to take
/// them. So when an input frees an agent or adds a caller, only that change needs looking at.
/// </para>
/// </remarks>
public sealed partial class AcdCore
{
    private static readonly TimeSpan OfferGuard = TimeSpan.FromSeconds(60);

    private readonly Dictionary<string, QueueEntry> _queues = new(StringComparer.Ordinal);
    private readonly List<QueueEntry> _queueOrder = [];
    private readonly Dictionary<string, AgentEntry> _agents = new(StringComparer.Ordinal);
    private readonly List<AgentEntry> _agentOrder = [];
    private readonly Dictionary<string, CallEntry> _calls = new(StringComparer.Ordinal);
    private readonly List<QueueEntry> _dirty = [];
    private readonly List<Lane> _laneScratch = [];
    private readonly List<AgentEntry> _agentScratch = [];
    private DeterministicRandom _random;
    private List<AcdOutput> _out = [];
    private DateTimeOffset _now;
    private long _sequence;
    private long _offerIds;
    private int _agentIndex;

    /// <param name="seed">Seeds the random strategies; a replay must use the same seed.</param>
    public AcdCore(ulong seed = 1)
    {
        Seed = seed;
        _random = new DeterministicRandom(seed);
    }

    public ulong Seed { get; }

    /// <summary>The time of the last input (or timer) processed.</summary>
    public DateTimeOffset Now => _now;

    public long EventsApplied { get; private set; }

    /// <summary>Inputs that did not fit the state (stale or duplicate reports).</summary>
    public long Faults { get; private set; }

    /// <summary>Callers holding a place in any queue.</summary>
    public int CallsInQueues
    {
        get
        {
            int n = 0;
            foreach (var q in _queueOrder) n += q.Calls.Count;
            return n;
        }
    }

    /// <summary>
    /// Applies one input, first firing the timers due by its time, and appends what follows to
    /// <paramref name="outputs"/>. An input dated before the last one is taken as happening now: time never
    /// runs backwards inside the engine.
    /// </summary>
    public void Apply(AcdEvent input, List<AcdOutput> outputs)
    {
        _out = outputs;
        var at = input.At.UtcTicks < _now.UtcTicks ? _now : input.At;
        RunTimers(at);
        _now = at;
        EventsApplied++;
        switch (input)
        {
            case TimerTick: break;
            case CallJoined e: Join(e.CallId, e.Queue, e.Caller, e.Priority, e.Skills, callbackNumber: null); break;
            case CallbackScheduled e: Join(e.CallId, e.Queue, e.Number, e.Priority, e.Skills, e.Number); break;
            case CallHungUp e: OnHungUp(e.CallId); break;
            case CallbackRequested e: OnCallbackRequested(e.CallId, e.Number); break;
            case CallbackCancelled e: OnCallbackCancelled(e.CallId); break;
            case OfferAnswered e: OnOfferAnswered(e.CallId, e.Agent); break;
            case OfferFailed e: OnOfferFailed(e.CallId, e.Reason); break;
            case OfferNarrowed e: OnOfferNarrowed(e.CallId, e.Ringing); break;
            case CallbackReached e: OnCallbackReached(e.CallId); break;
            case CallbackUnreached e: OnCallbackUnreached(e.CallId); break;
            case CallCompleted e: OnCompleted(e.CallId); break;
            case AgentLoggedIn e: OnLoggedIn(e.Agent, e.Phone); break;
            case AgentLoggedOut e: OnLoggedOut(e.Agent); break;
            case AgentPaused e: OnPaused(e.Agent, e.Reason); break;
            case AgentResumed e: OnResumed(e.Agent); break;
            case AgentPhoneBusy e: OnPhoneBusy(e.Agent, e.Busy); break;
            case QueueConfigured e: OnQueueConfigured(e.Settings); break;
            case QueueRemoved e: OnQueueRemoved(e.Queue); break;
            case AgentConfigured e: OnAgentConfigured(e.Settings); break;
            case AgentRemoved e: OnAgentRemoved(e.Agent); break;
            case StatisticsReset: ResetStatistics(); break;
            default: Fault($"unknown input {input.GetType().Name}"); break;
        }
        DispatchDirty();
    }

    /// <summary>Applies one input and returns what follows (convenience for tests and tools).</summary>
    public List<AcdOutput> Apply(AcdEvent input)
    {
        var outputs = new List<AcdOutput>();
        Apply(input, outputs);
        return outputs;
    }

    private void Emit(AcdOutput output) => _out.Add(output);

    private void Fault(string message)
    {
        Faults++;
        Emit(new EngineFault(_now, message));
    }

    private AgentEntry? Agent(string id, string what)
    {
        if (_agents.TryGetValue(id, out var a)) return a;
        Fault($"{what}: no agent {id}");
        return null;
    }

    private void ResetStatistics()
    {
        foreach (var q in _queueOrder)
        {
            q.Counters.Reset();
            q.AnsweredBy.Clear();
            foreach (var m in q.Members) m.Answered = 0;
        }
        foreach (var a in _agentOrder) a.Counters.Reset();
    }
}
