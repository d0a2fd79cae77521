using System.Collections.Concurrent;
using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Schedules;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Campaigns;

/// <summary>
/// Calls campaigns' numbers. Each pass (<see cref="PumpAsync"/>, every <see cref="PumpInterval"/> on the
/// switch's clock) takes, for every running campaign inside its hours, as many due numbers as its concurrent-call
/// limit and its calls-per-second budget (a token bucket) allow. Before a call is placed, the number is written
/// to the store as Dialling with the attempt counted: a switch that dies mid-call finds it so on restart
/// (<see cref="Recover"/>) and records the attempt as Interrupted instead of calling the person again unawares.
/// A restart that stops cleanly (<see cref="StopAsync"/>) lets calls in progress finish first.
/// </summary>
public sealed class CampaignDialer : IAsyncDisposable
{
    private readonly CampaignStore _store;
    private readonly ICallOriginator _originator;
    private readonly BlacklistService _blacklist;
    private readonly ScheduleService _schedules;
    private readonly CallPrompts _prompts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, (double Tokens, DateTimeOffset At)> _buckets = new();
    private readonly ConcurrentDictionary<Task, byte> _calls = new();
    private readonly SemaphoreSlim _pump = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    // What the last pass saw: no campaign running, as of this count of campaign writes and this time.
    private bool _idle;
    private long _idleWrites;
    private DateTimeOffset _idleSince;

    public CampaignDialer(CampaignStore store, ICallOriginator originator, BlacklistService blacklist, ScheduleService schedules,
        CallPrompts prompts, TimeProvider time, ILogger logger)
    {
        _store = store;
        _originator = originator;
        _blacklist = blacklist;
        _schedules = schedules;
        _prompts = prompts;
        _time = time;
        _logger = logger;
    }

    public TimeSpan PumpInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// With no campaign running, passes skip reading the campaigns until one is saved or deleted (nothing else
    /// starts one), and read them anyway this often. A switch carrying calls with no campaign on does not read
    /// and throw away the campaign list ten times a second.
    /// </summary>
    public TimeSpan IdleRecheck { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Calls in progress across all campaigns.</summary>
    public int InFlight => _inFlight.Values.Sum();

    /// <summary>Recovers from an earlier run, then pumps until stopped.</summary>
    public void Start()
    {
        Recover();
        _loop = Task.Run(async () =>
        {
            // One timer for the dialer's life (a delay per pass would be a timer and a task ten times a second).
            using var ticks = new PeriodicTimer(PumpInterval, _time);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    await PumpAsync();
                    await ticks.WaitForNextTickAsync(_stop.Token);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "campaign dialer pass failed");
                }
            }
        });
    }

    /// <summary>
    /// Numbers left Dialling by a run that ended without finishing its calls: the attempt counts, as Interrupted;
    /// they are only called again where the campaign says so, after its retry delay.
    /// </summary>
    public int Recover()
    {
        var recovered = 0;
        var now = _time.GetUtcNow();
        foreach (var campaign in _store.List())
        {
            foreach (var n in _store.InState(campaign.Id, NumberState.Dialling))
            {
                var log = n.Log.ToList();
                if (log.Count > 0 && log[^1].Ended is null) log[^1] = log[^1] with { Ended = now, Outcome = CallOutcome.Interrupted };
                var retry = campaign.RetryInterrupted && n.Attempts < campaign.MaxAttempts && campaign.State != CampaignState.Cancelled;
                _store.Save(n with
                {
                    State = retry ? NumberState.Waiting : NumberState.Done, Outcome = retry ? null : CallOutcome.Interrupted,
                    NextAttempt = retry ? now.AddSeconds(campaign.RetryDelaySeconds) : null, Log = log,
                });
                _logger.LogWarning("campaign {Campaign}: the call to {Number} was cut off by a restart; {What}", campaign.Id, n.Number,
                    retry ? "it will be retried" : "it is not called again");
                recovered++;
            }
        }
        return recovered;
    }

    /// <summary>One pass over the running campaigns; starts the calls that are due and allowed.</summary>
    public async Task PumpAsync()
    {
        await _pump.WaitAsync();
        try
        {
            var now = _time.GetUtcNow();
            // Read before listing: a campaign saved while the list is read bumps it past this value, so the next
            // pass reads again.
            var writes = _store.CampaignWrites;
            if (_idle && writes == _idleWrites && now - _idleSince < IdleRecheck) return;
            var running = false;
            foreach (var campaign in _store.List())
            {
                if (_stop.IsCancellationRequested) return;
                if (campaign.State != CampaignState.Running) continue;
                running = true;
                Pump(campaign);
            }
            (_idle, _idleWrites, _idleSince) = (!running, writes, now);
        }
        finally
        {
            _pump.Release();
        }
    }

    private void Pump(Campaign campaign)
    {
        var now = _time.GetUtcNow();
        var inFlight = _inFlight.GetValueOrDefault(campaign.Id);
        if (inFlight == 0 && !_store.AnyOpen(campaign.Id))
        {
            _store.Save(campaign with { State = CampaignState.Completed, Finished = now });
            _logger.LogInformation("campaign {Campaign} completed: {Totals}", campaign.Id, _store.Totals(campaign.Id));
            return;
        }
        if (!MayCall(campaign, now)) return;
        var free = campaign.MaxConcurrent - inFlight;
        if (free <= 0) return;
        var tokens = Refill(campaign, now);
        foreach (var number in _store.Due(campaign.Id, now, free))
        {
            if (campaign.SkipBlacklisted && _blacklist.Check(number.Number) is not null)
            {
                _store.Save(number with { State = NumberState.Done, Outcome = CallOutcome.Blacklisted, NextAttempt = null });
                continue;
            }
            if (tokens < 1) break;
            tokens -= 1;
            var dialling = number with
            {
                State = NumberState.Dialling, Attempts = number.Attempts + 1, NextAttempt = null,
                Log = [.. number.Log, new CampaignAttempt(now, null, null, 0)],
            };
            // Written before the call is placed: the crash window is covered by Recover.
            _store.Save(dialling);
            _inFlight.AddOrUpdate(campaign.Id, 1, (_, v) => v + 1);
            var task = CallAsync(campaign, dialling);
            _calls[task] = 0;
            _ = task.ContinueWith(t => _calls.TryRemove(t, out _), TaskScheduler.Default);
        }
        _buckets[campaign.Id] = (tokens, now);
    }

    /// <summary>Tokens for new calls: the bucket fills at callsPerSecond and holds at most one second's worth (at least one call).</summary>
    private double Refill(Campaign campaign, DateTimeOffset now)
    {
        var burst = Math.Max(1, campaign.CallsPerSecond);
        if (!_buckets.TryGetValue(campaign.Id, out var bucket)) return burst;
        var elapsed = Math.Max(0, (now - bucket.At).TotalSeconds);
        return Math.Min(burst, bucket.Tokens + elapsed * campaign.CallsPerSecond);
    }

    private bool MayCall(Campaign campaign, DateTimeOffset now)
    {
        if (campaign.Window is { } window && !window.Contains(now)) return false;
        if (campaign.Schedule is { } schedule && _schedules.At(schedule, now) is { } period && period.Period != Period.Work) return false;
        return true;
    }

    private async Task CallAsync(Campaign campaign, CampaignNumber number)
    {
        CallOutcome outcome;
        var status = 0;
        try
        {
            (outcome, status) = await PlaceAsync(campaign, number);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "campaign {Campaign}: the call to {Number} failed", campaign.Id, number.Number);
            outcome = CallOutcome.Failed;
        }
        try
        {
            Finish(number, outcome, status);
        }
        finally
        {
            _inFlight.AddOrUpdate(campaign.Id, 0, (_, v) => Math.Max(0, v - 1));
        }
    }

    private async Task<(CallOutcome, int)> PlaceAsync(Campaign campaign, CampaignNumber number)
    {
        var request = new OriginateRequest(new RouteTarget(RouteTargetKind.External, number.Number), campaign.CallerId, campaign.Name.Length > 0 ? campaign.Name : null,
            TimeSpan.FromSeconds(campaign.RingSeconds), campaign.Record,
            new Dictionary<string, string> { ["campaign"] = campaign.Id, ["campaign.number"] = number.Number, ["campaign.attempt"] = number.Attempts.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var result = await _originator.OriginateAsync(request);
        switch (result.Outcome)
        {
            case ConnectOutcome.Answered when result.Channel is { } channel:
                return (await DeliverAsync(campaign, channel), result.Status);
            case ConnectOutcome.Busy:
                return (CallOutcome.Busy, result.Status);
            case ConnectOutcome.NoAnswer:
                return (CallOutcome.NoAnswer, result.Status);
            case ConnectOutcome.Rejected:
                return (CallOutcome.Rejected, result.Status);
            default:
                return (CallOutcome.Failed, result.Status);
        }
    }

    /// <summary>The answered call: the message (played <see cref="Campaign.PlayTimes"/> times), the confirmation key if asked for, goodbye.</summary>
    private async Task<CallOutcome> DeliverAsync(Campaign campaign, ICallChannel channel)
    {
        var ct = channel.Ended;
        var outcome = CallOutcome.Answered;
        try
        {
            var message = Enumerable.Repeat(campaign.Message, campaign.PlayTimes);
            if (campaign.ConfirmDigit is { } confirm)
            {
                await _prompts.PlayAsync(channel, message, interruptible: false, ct);
                for (var ask = 0; ask < 2 && outcome != CallOutcome.Confirmed; ask++)
                {
                    var key = await _prompts.AskAsync(channel, [campaign.ConfirmPrompt ?? SystemPrompts.CampaignConfirm],
                        new DigitCollection(1, 1, null, TimeSpan.FromSeconds(campaign.ConfirmSeconds)), ct);
                    if (key.Length == 1 && key[0] == confirm) outcome = CallOutcome.Confirmed;
                }
                await _prompts.PlayAsync(channel, [SystemPrompts.CampaignThanks], interruptible: false, ct);
            }
            else
            {
                await _prompts.PlayAsync(channel, message, interruptible: false, ct);
            }
            await channel.HangupAsync();
        }
        catch (OperationCanceledException) when (channel.Ended.IsCancellationRequested)
        {
            // The listener hung up: they answered, and heard what they heard.
        }
        return outcome;
    }

    private void Finish(CampaignNumber dialled, CallOutcome outcome, int status)
    {
        var now = _time.GetUtcNow();
        var number = _store.Find(dialled.Campaign, dialled.Seq) ?? dialled;
        var campaign = _store.Get(number.Campaign);
        var log = number.Log.ToList();
        if (log.Count > 0) log[^1] = log[^1] with { Ended = now, Outcome = outcome, Status = status };
        var retry = campaign is not null && campaign.State is CampaignState.Running or CampaignState.Paused
            && campaign.RetryOn.Contains(outcome) && number.Attempts < campaign.MaxAttempts;
        _store.Save(number with
        {
            State = retry ? NumberState.Waiting : NumberState.Done, Outcome = retry ? null : outcome,
            NextAttempt = retry ? now.AddSeconds(campaign!.RetryDelaySeconds) : null, Log = log,
        });
        _logger.LogInformation("campaign {Campaign}: {Number} attempt {Attempt}: {Outcome} ({Status}){Retry}", number.Campaign, number.Number, number.Attempts,
            outcome, status, retry ? ", will retry" : "");
    }

    /// <summary>Stops placing calls and waits (up to <paramref name="drain"/>) for calls in progress to finish and be recorded.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }
        await _pump.WaitAsync();
        _pump.Release();
        var pending = _calls.Keys.ToArray();
        if (pending.Length > 0) await Task.WhenAny(Task.WhenAll(pending), Task.Delay(drain, _time));
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(90));
}
