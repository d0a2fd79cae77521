namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>An agent's live state inside the engine.</summary>
internal sealed class AgentEntry(AgentSettings settings, int index)
{
    public AgentSettings Settings = settings;
    /// <summary>Creation order: a stable tie-breaker that does not depend on hashing.</summary>
    public readonly int Index = index;
    public AgentState State = AgentState.LoggedOut;
    public DateTimeOffset Since;
    public string? Phone;
    public string? PauseReason;
    public string? PendingPause;
    public bool PendingLogout;
    public bool PhoneBusy;
    public bool Removed;
    /// <summary>When the agent last became free after a call, a login or a pause: longest-idle orders by this.</summary>
    public DateTimeOffset IdleSince;
    public Offer? Offer;
    public CallEntry? Call;
    /// <summary>Bumped on every state change, so timers set for an earlier state are recognised as stale.</summary>
    public long Version;
    public readonly List<Member> Memberships = [];
    public readonly AgentCounters Counters = new();

    public bool Free => State == AgentState.Available && !PhoneBusy;
    public bool Staffed => State is AgentState.Available or AgentState.Ringing or AgentState.OnCall or AgentState.WrapUp;
    public string Id => Settings.Id;
}

/// <summary>An agent's place in one queue.</summary>
internal sealed class Member(QueueEntry queue, AgentEntry agent, int weight, int position)
{
    public readonly QueueEntry Queue = queue;
    public readonly AgentEntry Agent = agent;
    public readonly int Weight = weight;
    /// <summary>Index in the queue's member list (linear and round-robin order).</summary>
    public readonly int Position = position;
    /// <summary>Answers from this queue this period, for fewest-calls.</summary>
    public long Answered;
}

internal enum CallPhase { Waiting, Offering, Connected, RetryWait, Gone }

/// <summary>A call (or a pending callback) in a queue.</summary>
internal sealed class CallEntry(string callId, QueueEntry queue, Lane lane, string caller, int priority, long sequence, DateTimeOffset joined)
{
    public readonly string CallId = callId;
    public readonly QueueEntry Queue = queue;
    public readonly Lane Lane = lane;
    public readonly string Caller = caller;
    public readonly int Priority = priority;
    /// <summary>Global arrival order: equal-priority callers are served by it, across queues too.</summary>
    public readonly long Sequence = sequence;
    public readonly DateTimeOffset Joined = joined;
    public CallPhase Phase = CallPhase.Waiting;
    public Offer? Offer;
    public AgentEntry? Agent;
    public DateTimeOffset Answered;
    public string? CallbackNumber;
    public bool CallbackReached;
    public int CallbackAttempts;
    public bool OverflowDue;
    /// <summary>Agents who failed this call; others are preferred until everyone free has been tried.</summary>
    public List<AgentEntry>? Tried;
    public long Version;

    public bool IsCallback => CallbackNumber is not null;
}

/// <summary>An offer in progress: the call and the agents whose phones ring for it.</summary>
internal sealed class Offer(long id, CallEntry call, AgentEntry[] agents)
{
    public readonly long Id = id;
    public readonly CallEntry Call = call;
    public readonly AgentEntry[] Agents = agents;
    public bool Open = true;
}

/// <summary>Priority first (higher first), then arrival order.</summary>
internal sealed class CallOrder : IComparer<CallEntry>
{
    public static readonly CallOrder Instance = new();

    public int Compare(CallEntry? x, CallEntry? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        int c = y!.Priority.CompareTo(x!.Priority);
        return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
    }
}

/// <summary>
/// The waiting calls of one queue that need the same skills. Within a lane every call can be served by
/// the same agents, so if the head cannot be served now nobody behind it can: dispatch looks at heads only.
/// </summary>
internal sealed class Lane(string key, KeyValuePair<string, int>[] requirements)
{
    public readonly string Key = key;
    public readonly KeyValuePair<string, int>[] Requirements = requirements;
    public readonly SortedSet<CallEntry> Calls = new(CallOrder.Instance);

    public bool Accepts(AgentEntry agent)
    {
        foreach (var (skill, level) in Requirements)
        {
            if (!agent.Settings.Skills.TryGetValue(skill, out var has) || has < level) return false;
        }
        return true;
    }

    /// <summary>How well the agent covers the requirements: the sum of their levels in the required skills.</summary>
    public int Score(AgentEntry agent)
    {
        int score = 0;
        foreach (var (skill, _) in Requirements)
        {
            if (agent.Settings.Skills.TryGetValue(skill, out var has)) score += has;
        }
        return score;
    }

    public static string KeyOf(IReadOnlyDictionary<string, int>? skills, out KeyValuePair<string, int>[] requirements)
    {
        if (skills is null || skills.Count == 0)
        {
            requirements = [];
            return "";
        }
        requirements = [.. skills.OrderBy(s => s.Key, StringComparer.Ordinal)];
        return string.Join(",", requirements.Select(r => $"{r.Key}:{r.Value}"));
    }
}

/// <summary>A queue's live state.</summary>
internal sealed class QueueEntry(QueueSettings settings)
{
    public QueueSettings Settings = settings;
    public readonly List<Member> Members = [];
    public readonly Dictionary<string, Lane> LanesByKey = new(StringComparer.Ordinal);
    public readonly List<Lane> Lanes = [];
    /// <summary>Every call holding a place: waiting, ringing an agent, or a callback awaiting its retry.</summary>
    public readonly SortedSet<CallEntry> Calls = new(CallOrder.Instance);
    /// <summary>Answers per agent in this queue (kept across membership edits), for fewest-calls.</summary>
    public readonly Dictionary<string, long> AnsweredBy = new(StringComparer.Ordinal);
    public int FreeMembers;
    public int RoundRobinNext;
    public double HandleSeconds;
    public bool Removed;
    /// <summary>Touched by the last input: dispatch looks at it.</summary>
    public bool Dirty;
    public readonly QueueCounters Counters = new();

    public string Name => Settings.Name;

    public Lane LaneFor(IReadOnlyDictionary<string, int>? skills)
    {
        var key = Lane.KeyOf(skills, out var requirements);
        if (!LanesByKey.TryGetValue(key, out var lane))
        {
            lane = new Lane(key, requirements);
            LanesByKey[key] = lane;
            Lanes.Add(lane);
        }
        return lane;
    }
}
