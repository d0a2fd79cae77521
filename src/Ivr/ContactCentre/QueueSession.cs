using System.Threading.Channels;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// One caller's stay in one queue. Engine commands and the caller's keys arrive on one channel and are
/// handled in order; the caller hears music on hold (with announcements) between them.
/// </summary>
internal sealed class QueueSession
{
    private readonly QueueDestination _owner;
    private readonly ICallChannel _call;
    private readonly QueueDefinition? _definition;
    private readonly string _queue;
    private readonly Channel<object> _inputs = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private CancellationTokenSource? _audioCts;
    private Task _audio = Task.CompletedTask;
    private IDisposable? _claim;
    private int _attempts;

    public QueueSession(QueueDestination owner, ICallChannel call, QueueDefinition? definition, string queue)
    {
        _owner = owner;
        _call = call;
        _definition = definition;
        _queue = queue;
    }

    private AcdEngine Engine => _owner.Engine;

    /// <summary>Runs until the caller is done here; returns the queue to continue in when overflowing to one.</summary>
    public async Task<string?> RunAsync()
    {
        var call = _call;
        if (_definition is null)
        {
            _owner.Logger.LogWarning("call {Call} routed to queue {Queue}, which does not exist", call.CallId, _queue);
            await call.AnswerAsync(call.Ended).ConfigureAwait(false);
            await QueueDestination.EndWithBusyAsync(call).ConfigureAwait(false);
            return null;
        }
        _claim = Engine.Claim(call.CallId, o => _inputs.Writer.TryWrite(o));
        try
        {
            await call.AnswerAsync(call.Ended).ConfigureAwait(false);
            call.Variables["queue"] = _queue;
            var (priority, skills) = QueueDestination.Steering(call.Variables);
            Engine.Post(new CallJoined(default, call.CallId, _queue, call.Caller, priority, skills));
            StartHold(_definition.Greeting is { Length: > 0 } g ? [g] : null);
            while (true)
            {
                var input = await _inputs.Reader.ReadAsync(call.Ended).ConfigureAwait(false);
                switch (input)
                {
                    case OfferCall offer:
                        await StopAudioAsync().ConfigureAwait(false);
                        if (await RingAsync(offer).ConfigureAwait(false)) return null;
                        StartHold(null);
                        break;
                    case AnnouncePosition announce:
                        await StopAudioAsync().ConfigureAwait(false);
                        StartHold(Announcement(announce));
                        break;
                    case OverflowCall overflow:
                        await StopAudioAsync().ConfigureAwait(false);
                        Release();
                        return await OverflowAsync(overflow).ConfigureAwait(false);
                    case char key when await TryCallbackAsync(key).ConfigureAwait(false):
                        return null;
                }
            }
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested)
        {
            Engine.Post(new CallHungUp(default, call.CallId));
            return null;
        }
        finally
        {
            await StopAudioAsync().ConfigureAwait(false);
            _claim?.Dispose();
        }
    }

    /// <summary>Gives up the call's commands; an offer already on its way (a callback's turn) goes to whoever handles unclaimed ones.</summary>
    private void Release()
    {
        _claim?.Dispose();
        _claim = null;
        while (_inputs.Reader.TryRead(out var pending))
        {
            if (pending is OfferCall offer && Engine.Unclaimed is { } handler) handler(offer);
        }
    }

    private List<string> Announcement(AnnouncePosition a)
    {
        var p = _owner.Prompts.Names;
        var prompts = new List<string> { p.YouAreCaller };
        prompts.AddRange(ContactCentrePrompts.Number(a.Position));
        if (a.EstimatedWait is { } wait)
        {
            prompts.Add(p.EstimatedWait);
            int minutes = (int)Math.Ceiling(wait.TotalMinutes);
            if (wait < TimeSpan.FromMinutes(1)) prompts.Add(p.LessThanAMinute);
            else
            {
                prompts.AddRange(ContactCentrePrompts.Number(minutes));
                prompts.Add(p.Minutes);
            }
        }
        if (_definition!.Callback) prompts.Add(p.CallbackOffer);
        return prompts;
    }

    private void StartHold(IReadOnlyList<string>? prompts)
    {
        _audioCts = CancellationTokenSource.CreateLinkedTokenSource(_call.Ended);
        _audio = HoldAsync(prompts, _audioCts.Token);
    }

    /// <summary>Prompts, then music on hold, listening for the callback key meanwhile.</summary>
    private async Task HoldAsync(IReadOnlyList<string>? prompts, CancellationToken ct)
    {
        try
        {
            // A key pressed during a prompt stops it and is kept for the collection below (type-ahead).
            if (prompts is { Count: > 0 }) await _owner.Prompts.PlayAsync(_call, prompts, interruptOnDtmf: true, ct).ConfigureAwait(false);
            _call.StartMusicOnHold();
            while (!ct.IsCancellationRequested)
            {
                var digits = await _call.CollectDigitsAsync(new DigitCollection(1, 1, null, FirstDigitTimeout: TimeSpan.FromHours(1)), ct).ConfigureAwait(false);
                if (digits.Length > 0) _inputs.Writer.TryWrite(digits[0]);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped for an offer, an announcement, or the caller hanging up.
        }
    }

    private async Task StopAudioAsync()
    {
        if (_audioCts is null) return;
        _audioCts.Cancel();
        await _audio.ConfigureAwait(false);
        _audioCts.Dispose();
        _audioCts = null;
    }

    /// <summary>Rings the offer's agents; true when the caller's time here is over (connected, or gone).</summary>
    private async Task<bool> RingAsync(OfferCall offer)
    {
        var call = _call;
        var rung = _owner.Connector.Choose(offer.Agents, _attempts++);
        if (rung.Count < offer.Agents.Count) Engine.Post(new OfferNarrowed(default, call.CallId, rung.Select(r => r.Agent).ToList()));
        if (rung.Count == 1) call.Variables["agent"] = rung[0].Agent;
        using var ring = CancellationTokenSource.CreateLinkedTokenSource(call.Ended);
        var options = new ConnectOptions(offer.RingTimeout, Record: _definition!.Record, CallerId: call.Caller);
        var connect = _owner.Connector.ConnectAsync(call, rung, options, ring.Token);
        var later = new List<object>();
        // While phones ring only a withdrawal matters; keys and anything else wait until after.
        while (!connect.IsCompleted && !ring.IsCancellationRequested)
        {
            var readable = _inputs.Reader.WaitToReadAsync(ring.Token).AsTask();
            await Task.WhenAny(connect, readable).ConfigureAwait(false);
            while (_inputs.Reader.TryRead(out var input))
            {
                if (input is OfferWithdrawn w && w.CallId == offer.CallId) ring.Cancel();
                else later.Add(input);
            }
        }
        foreach (var input in later) _inputs.Writer.TryWrite(input);

        ConnectResult result;
        try
        {
            result = await connect.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!call.Ended.IsCancellationRequested)
        {
            return false; // withdrawn: the engine has already put the caller back in their place
        }
        switch (result.Outcome)
        {
            case ConnectOutcome.Answered:
                var agent = AnsweredBy(rung, result.AnsweredBy);
                Engine.Post(new OfferAnswered(default, call.CallId, agent));
                // A callback's turn came while the caller was still on the line: they are reached already.
                if (offer.CallbackNumber is not null) Engine.Post(new CallbackReached(default, call.CallId));
                await WhenEnded(call.Ended).ConfigureAwait(false);
                Engine.Post(new CallCompleted(default, call.CallId));
                return true;
            case ConnectOutcome.CallerHungUp:
                Engine.Post(new CallHungUp(default, call.CallId));
                return true;
            default:
                Engine.Post(new OfferFailed(default, call.CallId, Failure(result.Outcome)));
                return false;
        }
    }

    internal static OfferFailure Failure(ConnectOutcome outcome) => outcome switch
    {
        ConnectOutcome.NoAnswer => OfferFailure.NoAnswer,
        ConnectOutcome.Busy => OfferFailure.Busy,
        _ => OfferFailure.Failed,
    };

    /// <summary>The agent whose phone answered (by extension), else the first rung.</summary>
    internal static string AnsweredBy(IReadOnlyList<AgentRing> rung, string? answeredBy)
    {
        foreach (var ring in rung)
        {
            if (ring.Phone == answeredBy) return ring.Agent;
        }
        return rung[0].Agent;
    }

    internal static Task WhenEnded(CancellationToken ended)
    {
        if (ended.IsCancellationRequested) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ended.Register(static s => ((TaskCompletionSource)s!).TrySetResult(), done);
        return done.Task;
    }

    private async Task<bool> TryCallbackAsync(char key)
    {
        if (!_definition!.Callback || key != _definition.CallbackKey[0]) return false;
        Engine.Post(new CallbackRequested(default, _call.CallId, _call.Caller));
        if (!await Engine.QueryAsync(core => core.IsCallback(_call.CallId)).ConfigureAwait(false)) return false;
        await StopAudioAsync().ConfigureAwait(false);
        Release();
        await _owner.Prompts.PlayAsync(_call, [_owner.Prompts.Names.CallbackConfirmed], interruptOnDtmf: false, _call.Ended).ConfigureAwait(false);
        await _call.HangupAsync().ConfigureAwait(false);
        return true;
    }

    private async Task<string?> OverflowAsync(OverflowCall overflow)
    {
        var call = _call;
        call.Variables["overflow_from"] = _queue;
        call.Variables["overflow_reason"] = overflow.Reason.ToString();
        if (overflow.Destination is not { } target)
        {
            await QueueDestination.EndWithBusyAsync(call).ConfigureAwait(false);
            return null;
        }
        switch (target.Kind)
        {
            case RouteTargetKind.Queue:
                return target.Value;
            case RouteTargetKind.Extension or RouteTargetKind.External:
                var result = await call.ConnectAsync(target, new ConnectOptions(TimeSpan.FromSeconds(30), _definition!.Record, call.Caller), call.Ended).ConfigureAwait(false);
                if (result.Outcome != ConnectOutcome.Answered) await QueueDestination.EndWithBusyAsync(call).ConfigureAwait(false);
                return null;
            default:
                if (_owner.Destination(target.Kind) is { } destination)
                {
                    await destination.RunAsync(call, target).ConfigureAwait(false);
                    return null;
                }
                _owner.Logger.LogWarning("queue {Queue} overflows to {Target}, which has no destination", _queue, target);
                await QueueDestination.EndWithBusyAsync(call).ConfigureAwait(false);
                return null;
        }
    }
}
