using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>What the engine decided or observed; commands for the call side and notices for live views.</summary>
public abstract record AcdOutput(DateTimeOffset At);

public enum AgentState { LoggedOut, Available, Ringing, OnCall, WrapUp, Paused }

public enum OverflowReason { MaxWait, MaxLength, NoAgents, UnknownQueue, QueueRemoved, CallerChose }

public enum LeaveReason { Answered, Abandoned, Overflowed, CallbackRequested, CallbackFailed, CallbackCancelled }

/// <summary>An agent to ring and the phone they are bound to.</summary>
public readonly record struct AgentRing(string Agent, string Phone);

// ---- commands

/// <summary>
/// Ring these agents for the call (one agent, or all free agents for ring-all); report the outcome with
/// <see cref="OfferAnswered"/> or <see cref="OfferFailed"/>. For a callback, <see cref="CallbackNumber"/> is
/// the citizen's number, to be dialled once the agent answers.
/// </summary>
public sealed record OfferCall(DateTimeOffset At, string CallId, string Queue, IReadOnlyList<AgentRing> Agents,
    TimeSpan RingTimeout, string? CallbackNumber) : AcdOutput(At)
{
    public override string ToString() =>
        $"OfferCall {{ At = {At:O}, CallId = {CallId}, Queue = {Queue}, Agents = [{string.Join(", ", Agents)}], RingTimeout = {RingTimeout}, CallbackNumber = {CallbackNumber} }}";
}

/// <summary>
/// Stop ringing for this call: no outcome was reported within the ring timeout and a grace, so the
/// engine freed the agents rather than keep them reserved. The call is back in its place (or overflowed).
/// </summary>
public sealed record OfferWithdrawn(DateTimeOffset At, string CallId) : AcdOutput(At);

/// <summary>Tell the caller their position (1 = next) and the estimated wait (null when no agent is staffed).</summary>
public sealed record AnnouncePosition(DateTimeOffset At, string CallId, int Position, TimeSpan? EstimatedWait) : AcdOutput(At);

/// <summary>The call has left the queue for <paramref name="Destination"/> (null: end it with busy tone).</summary>
public sealed record OverflowCall(DateTimeOffset At, string CallId, string Queue, OverflowReason Reason, RouteTarget? Destination) : AcdOutput(At);

// ---- notices

public sealed record CallQueued(DateTimeOffset At, string CallId, string Queue, string Caller, int Priority, int Position, bool Callback) : AcdOutput(At);

public sealed record CallLeftQueue(DateTimeOffset At, string CallId, string Queue, string Caller, LeaveReason Reason, TimeSpan Waited, string? Agent) : AcdOutput(At);

public sealed record CallEnded(DateTimeOffset At, string CallId, string Queue, string Agent, TimeSpan Talked) : AcdOutput(At);

public sealed record AgentStateChanged(DateTimeOffset At, string Agent, AgentState State, string? Reason, string? CallId, string? Phone) : AcdOutput(At);

/// <summary>An input that did not fit the state (a stale or duplicate report); counted, otherwise ignored.</summary>
public sealed record EngineFault(DateTimeOffset At, string Message) : AcdOutput(At);
