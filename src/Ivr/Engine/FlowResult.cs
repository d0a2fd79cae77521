namespace Hotline.Ivr.Engine;

/// <summary>How a call left a flow.</summary>
public enum FlowOutcome
{
    /// <summary>The flow ended and hung up (a hangup node, or an exit left out).</summary>
    HungUp,
    /// <summary>The caller was connected to an extension, a number or a queue: the call goes on without the flow.</summary>
    Connected,
    /// <summary>The caller hung up while in the flow.</summary>
    CallerLeft,
    /// <summary>The flow (or one it transferred to) does not exist or no longer parses.</summary>
    FlowMissing,
    /// <summary>The flow passed more nodes than its maxSteps allows: a loop; the call was ended.</summary>
    StepLimit,
    /// <summary>Something failed; the call was ended.</summary>
    Failed,
}

/// <summary>What became of one call in a flow: the outcome, the nodes it passed ("flow/node") and the step count.</summary>
public sealed record FlowResult(FlowOutcome Outcome, IReadOnlyList<string> Path, int Steps, string? Detail = null);

/// <summary>Built-in variables every flow sees; flows add their own with set, collect, menu, record and httpLookup.</summary>
public static class FlowVariables
{
    public const string Caller = "caller";
    public const string CallerName = "callerName";
    public const string Dialled = "dialled";
    public const string Did = "did";
    public const string Trunk = "trunk";
    public const string CallId = "callId";
    public const string Flow = "flow";
    public const string Digits = "digits";
    public const string Period = "period";
    public const string Hotline = "hotline";
    /// <summary>Set by a queue destination that gives a caller back to the flow (timeout, full, closed …); absent or "connected" otherwise.</summary>
    public const string QueueExit = "queue.exit";
}
