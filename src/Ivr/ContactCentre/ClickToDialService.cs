using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <param name="Agent">The agent whose phone rings first (where they are logged in); or null with <paramref name="Phone"/>.</param>
/// <param name="Phone">The extension to ring first when no agent is named.</param>
/// <param name="Numbers">The customer's numbers, tried in order.</param>
/// <param name="CallerId">The number the customer sees (the hotline's), or null for the trunk's default.</param>
/// <param name="Variables">Context for the call's record (case id, work order …).</param>
public sealed record ClickToDialRequest(string? Agent, string? Phone, IReadOnlyList<string> Numbers, string? CallerId = null,
    IReadOnlyDictionary<string, string>? Variables = null);

public enum ClickToDialOutcome { Connected, AgentUnreachable, AgentHungUp, NobodyAnswered, NotLoggedIn }

/// <param name="Number">The number that answered.</param>
/// <param name="Attempts">Every number dialled, in order, with how it went.</param>
public sealed record ClickToDialResult(ClickToDialOutcome Outcome, string? Number, IReadOnlyList<(string Number, ConnectOutcome Outcome)> Attempts);

/// <summary>
/// Click-to-dial: rings the agent's phone, then from that call dials the customer's numbers in order,
/// moving on at busy, no answer or failure, going round the list again after a pause (agent on music) as
/// many times as configured. Recorded like any call. While it runs the agent is busy for the queues.
/// </summary>
public sealed class ClickToDialService
{
    private readonly AcdEngine _engine;
    private readonly ICallOriginator _originator;
    private readonly NumberTargets _targets;
    private readonly ClickToDialOptions _options;
    private readonly ContactCentreEvents _events;

    public ClickToDialService(AcdEngine engine, ICallOriginator originator, NumberTargets targets, ClickToDialOptions options, ContactCentreEvents events)
    {
        _engine = engine;
        _originator = originator;
        _targets = targets;
        _options = options;
        _events = events;
    }

    /// <summary>Completes when a customer number answers (the call then goes on) or every attempt has failed.</summary>
    public async Task<ClickToDialResult> DialAsync(ClickToDialRequest request, CancellationToken ct = default)
    {
        if (request.Numbers.Count == 0 || request.Numbers.Any(n => n.Length == 0 || !n.All(c => char.IsAsciiDigit(c) || c == '+')))
            throw new ArgumentException("Numbers must be one or more phone numbers (digits, optionally a leading +)", nameof(request));
        string? phone = request.Phone;
        if (request.Agent is { } agentId)
        {
            phone = await _engine.QueryAsync(core => core.AgentSnapshot(agentId) is { State: not AgentState.LoggedOut } a ? a.Phone : null).ConfigureAwait(false);
            if (phone is null) return new ClickToDialResult(ClickToDialOutcome.NotLoggedIn, null, []);
            _engine.Post(new AgentPhoneBusy(default, agentId, true));
        }
        else if (phone is null) throw new ArgumentException("Name an agent or a phone", nameof(request));

        ICallChannel? agent = null;
        var attempts = new List<(string, ConnectOutcome)>();
        try
        {
            _events.Publish("clicktodial.started", new { request.Agent, Phone = phone, request.Numbers });
            var variables = new Dictionary<string, string>(request.Variables ?? new Dictionary<string, string>()) { ["clicktodial"] = string.Join(",", request.Numbers) };
            var rung = await _originator.OriginateAsync(new OriginateRequest(new RouteTarget(RouteTargetKind.Extension, phone), request.Numbers[0], "Click-to-dial",
                TimeSpan.FromSeconds(_options.AgentRingSeconds), Record: true, variables), ct).ConfigureAwait(false);
            if (rung is not { Outcome: ConnectOutcome.Answered, Channel: { } channel })
                return Finish(new ClickToDialResult(ClickToDialOutcome.AgentUnreachable, null, attempts), request);
            agent = channel;
            foreach (var (k, v) in variables) agent.Variables[k] = v;
            for (int round = 0; round < Math.Max(1, _options.Rounds); round++)
            {
                if (round > 0)
                {
                    agent.StartMusicOnHold();
                    await Task.Delay(TimeSpan.FromSeconds(_options.RetryDelaySeconds), _engine.Time, agent.Ended).ConfigureAwait(false);
                    agent.StopAudio();
                }
                foreach (var number in request.Numbers)
                {
                    var result = await agent.ConnectAsync(_targets.For(number),
                        new ConnectOptions(TimeSpan.FromSeconds(_options.CustomerRingSeconds), Record: true, request.CallerId), agent.Ended).ConfigureAwait(false);
                    attempts.Add((number, result.Outcome));
                    _events.Publish("clicktodial.attempt", new { request.Agent, Phone = phone, Number = number, result.Outcome });
                    if (result.Outcome == ConnectOutcome.Answered)
                        return Finish(new ClickToDialResult(ClickToDialOutcome.Connected, number, attempts), request, agent);
                    if (result.Outcome == ConnectOutcome.CallerHungUp)
                        return Finish(new ClickToDialResult(ClickToDialOutcome.AgentHungUp, null, attempts), request);
                }
            }
            await agent.PlayToneAsync(CallSound.Busy, TimeSpan.FromSeconds(2), agent.Ended).ConfigureAwait(false);
            await agent.HangupAsync().ConfigureAwait(false);
            return Finish(new ClickToDialResult(ClickToDialOutcome.NobodyAnswered, null, attempts), request);
        }
        catch (OperationCanceledException) when (agent?.Ended.IsCancellationRequested == true)
        {
            return Finish(new ClickToDialResult(ClickToDialOutcome.AgentHungUp, null, attempts), request);
        }
        catch
        {
            // Cancelled by the requester, or the switch failed: the agent must not stay busy for the queues.
            if (request.Agent is { } busy) _engine.Post(new AgentPhoneBusy(default, busy, false));
            if (agent is { Ended.IsCancellationRequested: false }) await agent.HangupAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Publishes the result; the agent stays busy for the queues until a connected call ends.</summary>
    private ClickToDialResult Finish(ClickToDialResult result, ClickToDialRequest request, ICallChannel? connected = null)
    {
        _events.Publish("clicktodial.finished", new { request.Agent, result.Outcome, result.Number });
        if (request.Agent is not { } agent) return result;
        if (connected is null) _engine.Post(new AgentPhoneBusy(default, agent, false));
        else connected.Ended.Register(() => _engine.Post(new AgentPhoneBusy(default, agent, false)));
        return result;
    }
}
