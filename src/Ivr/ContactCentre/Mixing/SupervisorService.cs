using System.Collections.Concurrent;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre.Mixing;

public enum SupervisorMode { Listen, Whisper, Barge }

public enum MonitorResult { Ended, NotSupervisor, NoSuchCall, SupervisorUnreachable }

/// <summary>A supervisor on a live call, for the panel.</summary>
public sealed record MonitorSession(string SupervisorCall, string Supervisor, string CallId, string Agent, SupervisorMode Mode, DateTimeOffset Since);

/// <summary>
/// Listen, whisper and barge on agents' live calls. The supervisor's own call joins the live call's room:
/// listening, they are heard by nobody; whispering, only by the agent; barging, by both. Only media moves,
/// so the agent's and the citizen's phones see no signalling. Keys during the session change the mode:
/// 1 listen, 2 whisper, 3 barge. Only agents with the supervisor role may do this.
/// </summary>
public sealed class SupervisorService
{
    private readonly LiveCallRooms _rooms;
    private readonly IContactCentreRepository _repository;
    private readonly ContactCentreEvents _events;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (MonitorSession Session, IMixMember Member, LiveRoom Room)> _active = new(StringComparer.Ordinal);

    public SupervisorService(LiveCallRooms rooms, IContactCentreRepository repository, ContactCentreEvents events, TimeProvider time)
    {
        _rooms = rooms;
        _repository = repository;
        _events = events;
        _time = time;
    }

    public IReadOnlyList<MonitorSession> Active() => _active.Values.Select(v => v.Session).OrderBy(s => s.Since).ToList();

    public bool IsSupervisor(string agent) => _repository.FindAgent(agent) is { Supervisor: true, Enabled: true };

    /// <summary>
    /// Joins the supervisor's answered call (<paramref name="supervisor"/>, placed by agent
    /// <paramref name="supervisorAgent"/>) to the live call of the agent at extension <paramref name="agentPhone"/>,
    /// and stays until the supervisor hangs up or the live call ends.
    /// </summary>
    public async Task<MonitorResult> MonitorAsync(ICallChannel supervisor, string supervisorAgent, string agentPhone, SupervisorMode mode)
    {
        if (!IsSupervisor(supervisorAgent)) return MonitorResult.NotSupervisor;
        var live = await _rooms.OpenForPartyAsync(agentPhone, supervisor.Ended).ConfigureAwait(false);
        if (live?.PartyAt(agentPhone) is not { } agent) return MonitorResult.NoSuchCall;
        await supervisor.AnswerAsync(supervisor.Ended).ConfigureAwait(false);
        var member = await live.Room.JoinAsync(supervisor, MixRole.Listener, supervisor.Ended).ConfigureAwait(false);
        Apply(member, agent, mode);
        var session = new MonitorSession(supervisor.CallId, supervisorAgent, live.Call.CallId, agentPhone, mode, _time.GetUtcNow());
        _active[supervisor.CallId] = (session, member, live);
        _events.Publish("supervisor.joined", session);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(supervisor.Ended, member.Left, agent.Left);
        try
        {
            while (!done.IsCancellationRequested)
            {
                var keys = await supervisor.CollectDigitsAsync(new DigitCollection(1, 1, null, FirstDigitTimeout: TimeSpan.FromHours(1)), done.Token).ConfigureAwait(false);
                if (keys.Length == 1 && keys[0] is >= '1' and <= '3') SetMode(supervisor.CallId, (SupervisorMode)(keys[0] - '1'));
            }
        }
        catch (OperationCanceledException)
        {
            // Supervisor hung up, or the call being monitored ended.
        }
        finally
        {
            _active.TryRemove(supervisor.CallId, out _);
            _events.Publish("supervisor.left", session with { Mode = member.Role switch { MixRole.Talker => SupervisorMode.Barge, MixRole.Whisperer => SupervisorMode.Whisper, _ => SupervisorMode.Listen } });
            if (!member.Left.IsCancellationRequested) await member.LeaveAsync().ConfigureAwait(false);
            if (!supervisor.Ended.IsCancellationRequested) await supervisor.HangupAsync().ConfigureAwait(false);
        }
        return MonitorResult.Ended;
    }

    /// <summary>
    /// From the API: rings the supervisor's phone (where they are logged in, or <paramref name="phone"/>) and,
    /// when they answer, joins them to the agent's call.
    /// </summary>
    public async Task<MonitorResult> StartAsync(ICallOriginator originator, string supervisorAgent, string agentPhone, SupervisorMode mode, string phone)
    {
        if (!IsSupervisor(supervisorAgent)) return MonitorResult.NotSupervisor;
        if (_rooms.Calls.FindByParty(agentPhone) is null) return MonitorResult.NoSuchCall;
        var result = await originator.OriginateAsync(new OriginateRequest(new RouteTarget(RouteTargetKind.Extension, phone), agentPhone,
            $"Monitor {agentPhone}", TimeSpan.FromSeconds(20), Record: false)).ConfigureAwait(false);
        if (result is not { Outcome: ConnectOutcome.Answered, Channel: { } channel }) return MonitorResult.SupervisorUnreachable;
        return await MonitorAsync(channel, supervisorAgent, agentPhone, mode).ConfigureAwait(false);
    }

    /// <summary>Changes a monitoring session's mode (from the panel, or by the supervisor's keys).</summary>
    public bool SetMode(string supervisorCall, SupervisorMode mode)
    {
        if (!_active.TryGetValue(supervisorCall, out var entry)) return false;
        if (entry.Room.PartyAt(entry.Session.Agent) is not { } agent) return false;
        Apply(entry.Member, agent, mode);
        var updated = entry.Session with { Mode = mode };
        _active[supervisorCall] = (updated, entry.Member, entry.Room);
        _events.Publish("supervisor.mode", updated);
        return true;
    }

    private static void Apply(IMixMember supervisor, IMixMember agent, SupervisorMode mode)
    {
        switch (mode)
        {
            case SupervisorMode.Listen: supervisor.SetRole(MixRole.Listener); break;
            case SupervisorMode.Whisper: supervisor.SetRole(MixRole.Whisperer, agent); break;
            case SupervisorMode.Barge: supervisor.SetRole(MixRole.Talker); break;
        }
    }
}
