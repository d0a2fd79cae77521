namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    /// <summary>The current state; <paramref name="withCalls"/> lists every waiting caller too.</summary>
    public AcdSnapshot Snapshot(DateTimeOffset now, bool withCalls = true)
    {
        var queues = new List<QueueSnapshot>(_queueOrder.Count);
        foreach (var q in _queueOrder) queues.Add(Snapshot(q, now, withCalls));
        var agents = new List<AgentSnapshot>(_agentOrder.Count);
        foreach (var a in _agentOrder) agents.Add(Snapshot(a));
        return new AcdSnapshot(now, queues, agents);
    }

    public QueueSnapshot? QueueSnapshot(string name, DateTimeOffset now, bool withCalls = true) =>
        _queues.TryGetValue(name, out var q) ? Snapshot(q, now, withCalls) : null;

    public AgentSnapshot? AgentSnapshot(string id) => _agents.TryGetValue(id, out var a) ? Snapshot(a) : null;

    public bool HasQueue(string name) => _queues.ContainsKey(name);

    public bool HasAgent(string id) => _agents.ContainsKey(id);

    /// <summary>The call is in a queue as a callback (its caller may hang up).</summary>
    public bool IsCallback(string callId) => _calls.TryGetValue(callId, out var c) && c.IsCallback;

    /// <summary>The agent bound to <paramref name="phone"/>, if one is logged in there.</summary>
    public string? AgentOnPhone(string phone)
    {
        foreach (var a in _agentOrder)
        {
            if (a.State != AgentState.LoggedOut && a.Phone == phone) return a.Id;
        }
        return null;
    }

    private static QueueSnapshot Snapshot(QueueEntry q, DateTimeOffset now, bool withCalls)
    {
        var byState = Enum.GetValues<AgentState>().ToDictionary(s => s, _ => 0);
        foreach (var m in q.Members) byState[m.Agent.State]++;
        var longest = TimeSpan.Zero;
        int ringing = 0, callbacks = 0, position = 0;
        var calls = new List<WaitingCallSnapshot>(withCalls ? q.Calls.Count : 0);
        foreach (var c in q.Calls)
        {
            position++;
            var waited = now - c.Joined;
            if (waited > longest && !c.IsCallback) longest = waited;
            bool serving = c.Phase is CallPhase.Offering or CallPhase.Connected; // a callback being dialled is served, not waiting
            if (serving) ringing++;
            if (c.IsCallback) callbacks++;
            if (withCalls)
                calls.Add(new WaitingCallSnapshot(c.CallId, c.Caller, position, c.Priority, waited, c.IsCallback, serving, c.Lane.Key));
        }
        return new QueueSnapshot(q.Name, q.Settings.Strategy, q.Calls.Count, ringing, callbacks, longest, byState, q.Counters.Snapshot(), calls);
    }

    private static AgentSnapshot Snapshot(AgentEntry a) =>
        new(a.Id, a.Settings.Name, a.State, a.PauseReason, a.Phone, a.Call?.CallId ?? a.Offer?.Call.CallId, a.Since, a.PhoneBusy,
            a.Memberships.Select(m => m.Queue.Name).ToList(), a.Settings.Skills, a.Counters.Snapshot());

    /// <summary>
    /// Checks the engine's invariants and says which fail (empty when all hold): every ringing agent has an
    /// open offer and every open offer rings only its agents; free-member counts are right; no waiting caller
    /// has a free agent able to take them; every caller is where its phase says.
    /// </summary>
    public IReadOnlyList<string> CheckInvariants()
    {
        var problems = new List<string>();
        foreach (var a in _agentOrder)
        {
            if (a.State == AgentState.Ringing)
            {
                if (a.Offer is not { Open: true } offer) problems.Add($"agent {a.Id} is ringing without an open offer");
                else if (Array.IndexOf(offer.Agents, a) < 0) problems.Add($"agent {a.Id} holds an offer that does not name them");
                else if (offer.Call.Offer != offer || offer.Call.Phase != CallPhase.Offering) problems.Add($"agent {a.Id} rings for {offer.Call.CallId}, which is not being offered");
            }
            else if (a.Offer is not null) problems.Add($"agent {a.Id} is {a.State} but holds an offer");
            if (a.State == AgentState.OnCall && a.Call is { } c && (c.Agent != a || c.Phase != CallPhase.Connected))
                problems.Add($"agent {a.Id} is on {c.CallId}, which is not connected to them");
            if (a.State != AgentState.OnCall && a.Call is not null) problems.Add($"agent {a.Id} is {a.State} but holds call {a.Call.CallId}");
            if (a.State != AgentState.LoggedOut && a.Phone is null) problems.Add($"agent {a.Id} is {a.State} without a phone");
        }
        foreach (var call in _calls.Values)
        {
            bool inLane = call.Lane.Calls.Contains(call), inQueue = call.Queue.Calls.Contains(call);
            switch (call.Phase)
            {
                case CallPhase.Waiting when !inLane || !inQueue:
                    problems.Add($"waiting call {call.CallId} is missing from its queue"); break;
                case CallPhase.Offering when inLane || !inQueue || call.Offer is not { Open: true }:
                    problems.Add($"offered call {call.CallId} is misplaced or has no open offer"); break;
                case CallPhase.Offering:
                    foreach (var a in call.Offer!.Agents)
                    {
                        if (a.Offer == call.Offer && a.State != AgentState.Ringing) problems.Add($"offer of {call.CallId} holds {a.Id}, who is {a.State}");
                    }
                    break;
                case CallPhase.Connected when inLane || inQueue != (call.IsCallback && !call.CallbackReached) || call.Agent is null:
                    problems.Add($"connected call {call.CallId} is misplaced or has no agent"); break;
                case CallPhase.RetryWait when inLane || !inQueue:
                    problems.Add($"callback {call.CallId} awaiting retry is misplaced"); break;
                case CallPhase.Gone:
                    problems.Add($"call {call.CallId} is gone but still known"); break;
            }
        }
        foreach (var q in _queueOrder)
        {
            int free = q.Members.Count(m => m.Agent.Free);
            if (free != q.FreeMembers) problems.Add($"queue {q.Name} counts {q.FreeMembers} free members, but {free} are free");
            foreach (var lane in q.Lanes)
            {
                if (lane.Calls.Count == 0) continue;
                var head = lane.Calls.Min!;
                foreach (var m in q.Members)
                {
                    if (m.Agent.Free && lane.Accepts(m.Agent))
                    {
                        problems.Add($"queue {q.Name}: {head.CallId} waits while {m.Agent.Id} is free to take it");
                        break;
                    }
                }
            }
        }
        return problems;
    }
}
