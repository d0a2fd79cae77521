namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>The whole contact centre at one moment, for the panel and wallboards.</summary>
public sealed record AcdSnapshot(DateTimeOffset At, IReadOnlyList<QueueSnapshot> Queues, IReadOnlyList<AgentSnapshot> Agents);

/// <param name="InQueue">Callers holding a place: waiting, being offered, or callbacks (until their citizen answers).</param>
/// <param name="Ringing">Callers being served: an agent's phone rings for them, or an agent is dialling their callback.</param>
/// <param name="LongestWait">How long the longest-waiting caller has waited.</param>
/// <param name="AgentsByState">Members by state; every state is present.</param>
/// <param name="Calls">The callers in order, when asked for.</param>
public sealed record QueueSnapshot(string Name, QueueStrategy Strategy, int InQueue, int Ringing, int Callbacks, TimeSpan LongestWait,
    IReadOnlyDictionary<AgentState, int> AgentsByState, QueueStatistics Statistics, IReadOnlyList<WaitingCallSnapshot> Calls);

public sealed record WaitingCallSnapshot(string CallId, string Caller, int Position, int Priority, TimeSpan Waited, bool Callback, bool Ringing, string Skills);

public sealed record AgentSnapshot(string Id, string Name, AgentState State, string? Reason, string? Phone, string? CallId, DateTimeOffset Since,
    bool PhoneBusy, IReadOnlyList<string> Queues, IReadOnlyDictionary<string, int> Skills, AgentStatistics Statistics);
