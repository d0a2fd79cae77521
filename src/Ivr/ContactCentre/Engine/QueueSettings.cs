using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>How a queue chooses among the agents free to take a call.</summary>
public enum QueueStrategy
{
    /// <summary>Every free agent rings at once; the first to answer takes the call.</summary>
    RingAll,
    /// <summary>The agent free for the longest time since their last call (or login, or resume).</summary>
    LongestIdle,
    /// <summary>The agent who has answered the fewest calls from this queue; ties go to the longest idle.</summary>
    FewestCalls,
    /// <summary>Members in turn, remembering where the last offer went (Asterisk's rrmemory).</summary>
    RoundRobin,
    /// <summary>Always the first free member in the configured order.</summary>
    Linear,
    /// <summary>A free member at random (the engine's seeded generator, so a replay chooses the same).</summary>
    Random,
    /// <summary>A free member at random, in proportion to the member's weight.</summary>
    WeightedRandom,
    /// <summary>The free agent whose skill levels best cover the call's required skills; ties to the longest idle.</summary>
    SkillsBased,
}

/// <summary>An agent in a queue, in the order linear and round-robin use.</summary>
/// <param name="Weight">Share for weighted random (1 or more).</param>
public sealed record QueueMember(string Agent, int Weight = 1);

/// <summary>Everything the engine decides a queue's calls with. Times of zero switch a feature off.</summary>
public sealed record QueueSettings
{
    public required string Name { get; init; }
    public QueueStrategy Strategy { get; init; } = QueueStrategy.LongestIdle;
    public IReadOnlyList<QueueMember> Members { get; init; } = [];
    /// <summary>How long an offered agent's phone rings before the call goes to the next agent.</summary>
    public TimeSpan RingTimeout { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>After-call work: the agent is kept out of the queues this long after each call.</summary>
    public TimeSpan WrapUp { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A caller waiting this long leaves for <see cref="Overflow"/>.</summary>
    public TimeSpan MaxWait { get; init; }
    /// <summary>A caller arriving when this many are waiting goes straight to <see cref="Overflow"/>.</summary>
    public int MaxLength { get; init; }
    /// <summary>Where callers go on max wait, max length or no agents; null ends the call with busy tone.</summary>
    public RouteTarget? Overflow { get; init; }
    /// <summary>A caller arriving when no member is logged in goes straight to <see cref="Overflow"/>.</summary>
    public bool OverflowWhenNoAgents { get; init; }
    /// <summary>First position/estimated-wait announcement after joining.</summary>
    public TimeSpan AnnounceFirst { get; init; }
    /// <summary>Interval between position/estimated-wait announcements.</summary>
    public TimeSpan AnnounceEvery { get; init; }
    /// <summary>The service-level threshold: answers within this wait count as on time (GB/T 33358: 15 s).</summary>
    public TimeSpan ServiceLevel { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>When an agent serves several queues, calls of the heavier queue go first.</summary>
    public int Weight { get; init; }
    /// <summary>An agent who lets an offered call ring out is paused (reason "no-answer").</summary>
    public bool AutoPauseOnNoAnswer { get; init; } = true;
    /// <summary>How long a no-answer pause lasts; zero keeps the agent paused until they resume.</summary>
    public TimeSpan AutoPauseFor { get; init; }
    /// <summary>Handle time (talk and wrap-up) assumed for estimated waits until calls have been handled.</summary>
    public TimeSpan DefaultHandleTime { get; init; } = TimeSpan.FromMinutes(3);
    /// <summary>Callers may leave a callback request and keep their place.</summary>
    public bool CallbackEnabled { get; init; }
    /// <summary>Attempts to reach a callback's number before it is listed as abandoned.</summary>
    public int CallbackAttempts { get; init; } = 3;
    public TimeSpan CallbackRetryDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>What is wrong with these settings, each naming its field under <paramref name="where"/>.</summary>
    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return $"{where}:Name must not be empty";
        if (RingTimeout < TimeSpan.FromSeconds(1)) yield return $"{where}:RingTimeout must be at least 1 second";
        if (WrapUp < TimeSpan.Zero) yield return $"{where}:WrapUp must not be negative";
        if (MaxWait < TimeSpan.Zero) yield return $"{where}:MaxWait must not be negative";
        if (MaxLength < 0) yield return $"{where}:MaxLength must not be negative";
        if (AnnounceFirst < TimeSpan.Zero || AnnounceEvery < TimeSpan.Zero) yield return $"{where}:AnnounceFirst and AnnounceEvery must not be negative";
        if (AnnounceEvery > TimeSpan.Zero && AnnounceEvery < TimeSpan.FromSeconds(5)) yield return $"{where}:AnnounceEvery must be 0 or at least 5 seconds";
        if (ServiceLevel <= TimeSpan.Zero) yield return $"{where}:ServiceLevel must be positive";
        if (AutoPauseFor < TimeSpan.Zero) yield return $"{where}:AutoPauseFor must not be negative";
        if (DefaultHandleTime <= TimeSpan.Zero) yield return $"{where}:DefaultHandleTime must be positive";
        if (CallbackAttempts < 1) yield return $"{where}:CallbackAttempts must be at least 1";
        if (CallbackRetryDelay < TimeSpan.Zero) yield return $"{where}:CallbackRetryDelay must not be negative";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Members.Count; i++)
        {
            var m = Members[i];
            if (string.IsNullOrWhiteSpace(m.Agent)) yield return $"{where}:Members:{i}:Agent must not be empty";
            else if (!seen.Add(m.Agent)) yield return $"{where}:Members:{i}:Agent {m.Agent} is listed twice";
            if (m.Weight < 1) yield return $"{where}:Members:{i}:Weight must be at least 1";
        }
    }
}

/// <summary>An agent as the engine knows them: who they are and what they can handle.</summary>
/// <param name="Skills">Skill name → level (1 = novice … 10 = expert).</param>
/// <param name="WrapUp">Overrides the queue's wrap-up time for this agent when set.</param>
public sealed record AgentSettings(string Id, string Name, IReadOnlyDictionary<string, int> Skills, TimeSpan? WrapUp = null)
{
    public static readonly IReadOnlyDictionary<string, int> NoSkills = new Dictionary<string, int>();

    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Id)) yield return $"{where}:Id must not be empty";
        foreach (var (skill, level) in Skills)
        {
            if (string.IsNullOrWhiteSpace(skill)) yield return $"{where}:Skills has an empty skill name";
            if (level is < 1 or > 10) yield return $"{where}:Skills:{skill} level {level} must be between 1 and 10";
        }
        if (WrapUp is { } w && w < TimeSpan.Zero) yield return $"{where}:WrapUp must not be negative";
    }
}
