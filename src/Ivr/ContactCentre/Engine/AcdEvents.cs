using System.Text.Json.Serialization;

namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>
/// An input to the ACD engine. The engine's state changes only through these, in the order given,
/// each at its own time <see cref="At"/>; the same sequence therefore always yields the same decisions,
/// and a recorded log replays exactly.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$event")]
[JsonDerivedType(typeof(QueueConfigured), "QueueConfigured")]
[JsonDerivedType(typeof(QueueRemoved), "QueueRemoved")]
[JsonDerivedType(typeof(AgentConfigured), "AgentConfigured")]
[JsonDerivedType(typeof(AgentRemoved), "AgentRemoved")]
[JsonDerivedType(typeof(CallJoined), "CallJoined")]
[JsonDerivedType(typeof(CallHungUp), "CallHungUp")]
[JsonDerivedType(typeof(CallbackRequested), "CallbackRequested")]
[JsonDerivedType(typeof(CallbackScheduled), "CallbackScheduled")]
[JsonDerivedType(typeof(CallbackCancelled), "CallbackCancelled")]
[JsonDerivedType(typeof(OfferAnswered), "OfferAnswered")]
[JsonDerivedType(typeof(OfferNarrowed), "OfferNarrowed")]
[JsonDerivedType(typeof(OfferFailed), "OfferFailed")]
[JsonDerivedType(typeof(CallbackReached), "CallbackReached")]
[JsonDerivedType(typeof(CallbackUnreached), "CallbackUnreached")]
[JsonDerivedType(typeof(CallCompleted), "CallCompleted")]
[JsonDerivedType(typeof(AgentLoggedIn), "AgentLoggedIn")]
[JsonDerivedType(typeof(AgentLoggedOut), "AgentLoggedOut")]
[JsonDerivedType(typeof(AgentPaused), "AgentPaused")]
[JsonDerivedType(typeof(AgentResumed), "AgentResumed")]
[JsonDerivedType(typeof(AgentPhoneBusy), "AgentPhoneBusy")]
[JsonDerivedType(typeof(TimerTick), "TimerTick")]
[JsonDerivedType(typeof(StatisticsReset), "StatisticsReset")]
public abstract record AcdEvent(DateTimeOffset At);

// ---- configuration (part of the log, so a replay sees the settings each decision was made under)

public sealed record QueueConfigured(DateTimeOffset At, QueueSettings Settings) : AcdEvent(At);

/// <summary>Removes a queue; its waiting callers overflow.</summary>
public sealed record QueueRemoved(DateTimeOffset At, string Queue) : AcdEvent(At);

public sealed record AgentConfigured(DateTimeOffset At, AgentSettings Settings) : AcdEvent(At);

/// <summary>Removes an agent (logging them out first, at the end of any call).</summary>
public sealed record AgentRemoved(DateTimeOffset At, string Agent) : AcdEvent(At);

// ---- callers

/// <param name="Priority">Higher goes first; callers of equal priority are served in arrival order.</param>
/// <param name="Skills">Skills the call needs: name → lowest acceptable level.</param>
/// <param name="Caller">The caller's number, for callbacks and the abandoned list.</param>
public sealed record CallJoined(DateTimeOffset At, string CallId, string Queue, string Caller, int Priority = 0,
    IReadOnlyDictionary<string, int>? Skills = null) : AcdEvent(At);

/// <summary>The caller hung up (or was hung up on) before talking to an agent, or during the talk.</summary>
public sealed record CallHungUp(DateTimeOffset At, string CallId) : AcdEvent(At);

/// <summary>The caller asked to be called back on <paramref name="Number"/>; they keep their place and hang up.</summary>
public sealed record CallbackRequested(DateTimeOffset At, string CallId, string Number) : AcdEvent(At);

/// <summary>A callback taken from the abandoned list (or the API) joins a queue as if its caller were waiting.</summary>
public sealed record CallbackScheduled(DateTimeOffset At, string CallId, string Queue, string Number, int Priority = 0,
    IReadOnlyDictionary<string, int>? Skills = null) : AcdEvent(At);

/// <summary>Removes a pending callback from its queue (reached another way, or withdrawn).</summary>
public sealed record CallbackCancelled(DateTimeOffset At, string CallId) : AcdEvent(At);

// ---- offers (what became of an OfferCall)

/// <summary>The agent answered the offer; for a callback, the agent's phone answered and the citizen is being dialled.</summary>
public sealed record OfferAnswered(DateTimeOffset At, string CallId, string Agent) : AcdEvent(At);

public enum OfferFailure { NoAnswer, Busy, Failed }

/// <summary>
/// Only <paramref name="Ringing"/> of the offer's agents are actually being rung (the call side cannot ring
/// them all together); the rest are released at once, as if never offered.
/// </summary>
public sealed record OfferNarrowed(DateTimeOffset At, string CallId, IReadOnlyList<string> Ringing) : AcdEvent(At)
{
    public override string ToString() => $"OfferNarrowed {{ At = {At:O}, CallId = {CallId}, Ringing = [{string.Join(", ", Ringing)}] }}";
}

/// <summary>No agent of the offer answered.</summary>
public sealed record OfferFailed(DateTimeOffset At, string CallId, OfferFailure Reason) : AcdEvent(At);

/// <summary>A callback's citizen answered: the call counts as answered now.</summary>
public sealed record CallbackReached(DateTimeOffset At, string CallId) : AcdEvent(At);

/// <summary>A callback's citizen did not answer; the agent is freed and the callback retried or listed as abandoned.</summary>
public sealed record CallbackUnreached(DateTimeOffset At, string CallId) : AcdEvent(At);

/// <summary>The talk between caller and agent ended (either side hung up, or the call was transferred away).</summary>
public sealed record CallCompleted(DateTimeOffset At, string CallId) : AcdEvent(At);

// ---- agents

/// <param name="Phone">The extension the agent is bound to for the shift.</param>
public sealed record AgentLoggedIn(DateTimeOffset At, string Agent, string Phone) : AcdEvent(At);

/// <summary>Logs out now, or at the end of the current call.</summary>
public sealed record AgentLoggedOut(DateTimeOffset At, string Agent) : AcdEvent(At);

/// <summary>Pauses now, or at the end of the current call (wrap-up is skipped for a pending pause).</summary>
public sealed record AgentPaused(DateTimeOffset At, string Agent, string Reason) : AcdEvent(At);

/// <summary>Ends a pause, a pending pause, or wrap-up early ("ready").</summary>
public sealed record AgentResumed(DateTimeOffset At, string Agent) : AcdEvent(At);

/// <summary>The agent's phone is busy (or free again) with a call the queues did not give them: direct, click-to-dial.</summary>
public sealed record AgentPhoneBusy(DateTimeOffset At, string Agent, bool Busy) : AcdEvent(At);

// ---- time

/// <summary>Lets timers due by <see cref="AcdEvent.At"/> fire (wrap-up ends, max waits, announcements, retries).</summary>
public sealed record TimerTick(DateTimeOffset At) : AcdEvent(At);

/// <summary>Starts a new statistics period (e.g. at midnight).</summary>
public sealed record StatisticsReset(DateTimeOffset At) : AcdEvent(At);
