using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Flows;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Engine;

/// <summary>
/// Runs flows on calls. One loop per call walks the nodes: each node does its work on the channel and names
/// the next node; a node that names none ends the call. Every call is bounded by the flow's maxSteps, counted
/// across flows it transfers to, so no flow can spin forever. The flow a call started with serves it to the
/// end, even if it is edited meanwhile (a transfer to another flow takes that flow's current version).
/// </summary>
public sealed partial class FlowInterpreter
{
    private readonly FlowService _flows;
    private readonly CallPrompts _prompts;
    private readonly ScheduleService _schedules;
    private readonly BlacklistService _blacklist;
    private readonly VoicemailCalls _voicemail;
    private readonly CallDestinations _destinations;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly string _recordings;
    private readonly ILogger _logger;

    public FlowInterpreter(FlowService flows, CallPrompts prompts, ScheduleService schedules, BlacklistService blacklist, VoicemailCalls voicemail,
        CallDestinations destinations, HttpClient http, TimeProvider time, string recordingsRoot, ILogger logger)
    {
        _flows = flows;
        _prompts = prompts;
        _schedules = schedules;
        _blacklist = blacklist;
        _voicemail = voicemail;
        _destinations = destinations;
        _http = http;
        _time = time;
        _recordings = recordingsRoot;
        _logger = logger;
    }

    /// <summary>Raised when a call leaves a flow, for the IVR call log.</summary>
    public event Action<ICallChannel, string, FlowResult>? Finished;

    /// <summary>
    /// Runs flow <paramref name="flowId"/> on <paramref name="call"/> until the call is connected, hung up or
    /// leaves. <paramref name="scope"/> is the hotline the call came through (blacklist entries can be scoped to one).
    /// </summary>
    public async Task<FlowResult> RunAsync(ICallChannel call, string flowId, string? scope = null, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(call.Ended, ct);
        var session = new FlowSession(call, scope, linked.Token);
        SetBuiltIns(call, flowId, scope);
        FlowResult result;
        try
        {
            result = await WalkAsync(session, flowId);
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested || ct.IsCancellationRequested)
        {
            result = new FlowResult(FlowOutcome.CallerLeft, session.Path, session.Steps);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "call {CallId} failed in flow {Flow} at {Node}", call.CallId, flowId, session.Path.LastOrDefault());
            await HangupQuietly(call, 500);
            result = new FlowResult(FlowOutcome.Failed, session.Path, session.Steps, e.Message);
        }
        _logger.LogInformation("call {CallId} from {Caller} left flow {Flow}: {Outcome} after {Steps} steps ({Path})",
            call.CallId, call.Caller, flowId, result.Outcome, result.Steps, string.Join(" > ", result.Path));
        Finished?.Invoke(call, flowId, result);
        return result;
    }

    private void SetBuiltIns(ICallChannel call, string flowId, string? scope)
    {
        var v = call.Variables;
        v[FlowVariables.Caller] = call.Caller;
        v[FlowVariables.CallerName] = call.CallerName ?? "";
        v[FlowVariables.Dialled] = call.Dialled;
        v[FlowVariables.Did] = call.Trunk is null ? "" : call.Dialled;
        v[FlowVariables.Trunk] = call.Trunk ?? "";
        v[FlowVariables.CallId] = call.CallId;
        v[FlowVariables.Flow] = flowId;
        if (scope is not null) v[FlowVariables.Hotline] = scope;
    }

    private async Task<FlowResult> WalkAsync(FlowSession session, string flowId)
    {
        var flow = _flows.Get(flowId);
        if (flow is null) return await Missing(session, flowId);
        string? nodeId = flow.Start;
        while (true)
        {
            if (nodeId is null)
            {
                await session.Call.HangupAsync();
                return new FlowResult(FlowOutcome.HungUp, session.Path, session.Steps);
            }
            if (++session.Steps > flow.MaxSteps)
            {
                _logger.LogWarning("call {CallId}: flow {Flow} passed {Max} steps; ending the call (a loop?)", session.Call.CallId, flow.Id, flow.MaxSteps);
                await HangupQuietly(session.Call, 500);
                return new FlowResult(FlowOutcome.StepLimit, session.Path, session.Steps - 1, $"more than {flow.MaxSteps} steps");
            }
            var node = flow.Nodes[nodeId];
            session.Path.Add($"{flow.Id}/{node.Id}");
            var step = await ExecuteAsync(session, flow, node);
            switch (step.Kind)
            {
                case StepKind.Next:
                    nodeId = step.Node;
                    break;
                case StepKind.Flow:
                    var next = _flows.Get(step.Node!);
                    if (next is null) return await Missing(session, step.Node!);
                    flow = next;
                    session.Call.Variables[FlowVariables.Flow] = flow.Id;
                    nodeId = flow.Start;
                    break;
                default:
                    return new FlowResult(step.Outcome, session.Path, session.Steps);
            }
        }
    }

    private async Task<FlowResult> Missing(FlowSession session, string flowId)
    {
        _logger.LogError("call {CallId}: flow {Flow} does not exist or does not parse", session.Call.CallId, flowId);
        await HangupQuietly(session.Call, 480);
        return new FlowResult(FlowOutcome.FlowMissing, session.Path, session.Steps, $"no flow '{flowId}'");
    }

    private static async Task HangupQuietly(ICallChannel call, int status)
    {
        if (call.Ended.IsCancellationRequested) return;
        try
        {
            await call.HangupAsync(call.Answered ? 0 : status);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private enum StepKind { Next, Flow, Done }

    /// <summary>What a node decided: go to a node, continue in another flow, or the call is finished with the flow.</summary>
    private readonly record struct Step(StepKind Kind, string? Node, FlowOutcome Outcome)
    {
        public static Step To(string? node) => new(StepKind.Next, node, default);
        public static Step ToFlow(string flow) => new(StepKind.Flow, flow, default);
        public static Step Done(FlowOutcome outcome) => new(StepKind.Done, null, outcome);
    }

    private sealed class FlowSession(ICallChannel call, string? scope, CancellationToken ct)
    {
        public ICallChannel Call { get; } = call;
        public string? Scope { get; } = scope;
        public CancellationToken Ct { get; } = ct;
        public List<string> Path { get; } = [];
        public int Steps { get; set; }
        public int Recordings { get; set; }
        public IDictionary<string, string> Vars => Call.Variables;
        public string Expand(string template) => FlowTemplate.Expand(template, Call.Variables);
    }
}
