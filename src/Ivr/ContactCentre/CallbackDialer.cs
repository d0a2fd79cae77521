using System.Collections.Concurrent;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Carries out offers for callbacks whose caller has hung up: rings the agent first (so the citizen never
/// waits on a ringing agent), tells them whom they are calling, then dials the citizen from the agent's
/// call. Outcomes go back to the engine: the agent answering, the citizen reached or not, the end.
/// </summary>
public sealed class CallbackDialer
{
    private readonly AcdEngine _engine;
    private readonly ICallOriginator _originator;
    private readonly IContactCentreRepository _repository;
    private readonly PromptFiles _prompts;
    private readonly NumberTargets _targets;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _dialling = new(StringComparer.Ordinal);

    public CallbackDialer(AcdEngine engine, ICallOriginator originator, IContactCentreRepository repository, PromptFiles prompts,
        NumberTargets targets, ILoggerFactory loggers)
    {
        _engine = engine;
        _originator = originator;
        _repository = repository;
        _prompts = prompts;
        _targets = targets;
        _logger = loggers.CreateLogger("Hotline.Ivr.ContactCentre");
    }

    /// <summary>Callbacks being dialled now.</summary>
    public int Active => _dialling.Count;

    /// <summary>Takes the engine's unclaimed commands (<see cref="AcdEngine.Unclaimed"/>).</summary>
    public void Handle(AcdOutput output)
    {
        switch (output)
        {
            case OfferCall { CallbackNumber: { } number } offer:
                var cts = new CancellationTokenSource();
                _dialling[offer.CallId] = cts;
                _ = DialAsync(offer, number, cts);
                break;
            case OfferCall stray:
                // An offer for a caller nobody holds (gone between the decision and the hand-over): free the agents now.
                _engine.Post(new OfferFailed(default, stray.CallId, OfferFailure.Failed));
                break;
            case OfferWithdrawn w when _dialling.TryGetValue(w.CallId, out var dialling):
                dialling.Cancel();
                break;
        }
    }

    private async Task DialAsync(OfferCall offer, string number, CancellationTokenSource cts)
    {
        try
        {
            var queue = _repository.FindQueue(offer.Queue);
            var (agent, channel, failure) = await RingAgentsAsync(offer, number, queue, cts.Token).ConfigureAwait(false);
            if (channel is null)
            {
                if (!cts.IsCancellationRequested) _engine.Post(new OfferFailed(default, offer.CallId, failure));
                return;
            }
            _engine.Post(new OfferAnswered(default, offer.CallId, agent!));
            await CallCitizenAsync(offer, number, queue, channel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "callback of {Call} to {Number} failed", offer.CallId, number);
            _engine.Post(new OfferFailed(default, offer.CallId, OfferFailure.Failed));
        }
        finally
        {
            _dialling.TryRemove(new KeyValuePair<string, CancellationTokenSource>(offer.CallId, cts));
            cts.Dispose();
        }
    }

    /// <summary>Rings every agent of the offer at once; the first to answer takes it, any later answer is hung up.</summary>
    private async Task<(string? Agent, ICallChannel? Channel, OfferFailure Failure)> RingAgentsAsync(OfferCall offer, string number, QueueDefinition? queue, CancellationToken ct)
    {
        using var rest = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var variables = new Dictionary<string, string> { ["queue"] = offer.Queue, ["callback"] = number, ["callback_of"] = offer.CallId };
        var rings = offer.Agents.Select(a => (a.Agent, Task: _originator.OriginateAsync(
            new OriginateRequest(new RouteTarget(RouteTargetKind.Extension, a.Phone), number, "Callback", offer.RingTimeout, queue?.Record ?? true, variables), rest.Token))).ToList();
        (string? Agent, ICallChannel? Channel) winner = (null, null);
        var failure = OfferFailure.NoAnswer;
        var pending = rings.Select(r => r.Task).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            OriginateResult result;
            try
            {
                result = await done.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                continue;
            }
            if (result is { Outcome: ConnectOutcome.Answered, Channel: { } channel })
            {
                if (winner.Channel is null)
                {
                    winner = (rings.First(r => r.Task == done).Agent, channel);
                    rest.Cancel();
                }
                else await channel.HangupAsync().ConfigureAwait(false);
            }
            else if (rings.Count == 1) failure = QueueSession.Failure(result.Outcome);
        }
        return (winner.Agent, winner.Channel, failure);
    }

    private async Task CallCitizenAsync(OfferCall offer, string number, QueueDefinition? queue, ICallChannel agent)
    {
        try
        {
            var intro = new List<string> { _prompts.Names.CallbackIntro };
            intro.AddRange(Calls.SystemPrompts.Digits(number));
            await _prompts.PlayAsync(agent, intro, interruptOnDtmf: true, agent.Ended).ConfigureAwait(false);
            var result = await agent.ConnectAsync(_targets.For(number),
                new ConnectOptions(TimeSpan.FromSeconds(30), queue?.Record ?? true, queue?.CallbackCallerId), agent.Ended).ConfigureAwait(false);
            if (result.Outcome != ConnectOutcome.Answered)
            {
                _engine.Post(new CallbackUnreached(default, offer.CallId));
                await agent.HangupAsync().ConfigureAwait(false);
                return;
            }
            _engine.Post(new CallbackReached(default, offer.CallId));
            await QueueSession.WhenEnded(agent.Ended).ConfigureAwait(false);
            _engine.Post(new CallCompleted(default, offer.CallId));
        }
        catch (OperationCanceledException) when (agent.Ended.IsCancellationRequested)
        {
            // The agent hung up before the citizen answered.
            _engine.Post(new CallbackUnreached(default, offer.CallId));
        }
    }
}
