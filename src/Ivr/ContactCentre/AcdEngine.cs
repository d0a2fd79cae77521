using System.Collections.Concurrent;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Core;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>Sees every output of the engine, on the engine's thread: must be quick and must not block.</summary>
public interface IAcdObserver
{
    void OnOutputs(IReadOnlyList<AcdOutput> outputs);
}

/// <summary>
/// Hosts the <see cref="AcdCore"/> on one logical thread: inputs from any thread are stamped with the
/// time they are taken, applied one at a time in order, logged for replay, and what the core decides is
/// handed to the call it concerns (commands) and to observers (live views, the abandoned list). A timer
/// from the <see cref="TimeProvider"/> wakes the core when its next timer is due.
/// </summary>
public sealed class AcdEngine : IDisposable
{
    private readonly AcdCore _core;
    private readonly SerialExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _timer;
    private readonly ConcurrentDictionary<string, Action<AcdOutput>> _calls = new(StringComparer.Ordinal);
    private readonly List<AcdOutput> _outputs = [];
    private IAcdObserver[] _observers = [];
    private DateTimeOffset? _timerDue;
    private int _disposed;

    public AcdEngine(TimeProvider time, ILoggerFactory loggers, ulong seed = 1, AcdEventLog? log = null)
    {
        _time = time;
        _logger = loggers.CreateLogger("Hotline.Ivr.ContactCentre");
        _executor = new SerialExecutor(_logger);
        _core = new AcdCore(seed);
        Log = log ?? new AcdEventLog();
        _timer = time.CreateTimer(static s => ((AcdEngine)s!).Post(new TimerTick(default)), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public AcdEventLog Log { get; }

    public ulong Seed => _core.Seed;

    public TimeProvider Time => _time;

    /// <summary>Calls whose commands go to a handler (usually the caller's queue session); commands for others go to <see cref="Unclaimed"/>.</summary>
    public IDisposable Claim(string callId, Action<AcdOutput> commands)
    {
        _calls[callId] = commands;
        return new Release(this, callId, commands);
    }

    /// <summary>Commands for calls no session claims: callbacks whose caller has hung up.</summary>
    public Action<AcdOutput>? Unclaimed { get; set; }

    public void AddObserver(IAcdObserver observer)
    {
        lock (_calls) _observers = [.. _observers, observer];
    }

    /// <summary>Queues an input; its time is set to the moment the engine takes it.</summary>
    public void Post(AcdEvent input)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        _executor.Post(() => Apply(input with { At = _time.GetUtcNow() }));
    }

    /// <summary>Runs <paramref name="query"/> on the engine's thread, after every input posted before it.</summary>
    public Task<T> QueryAsync<T>(Func<AcdCore, T> query)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _executor.Post(() =>
        {
            try
            {
                done.SetResult(query(_core));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        });
        return done.Task;
    }

    /// <summary>Completes once every input posted so far has been applied.</summary>
    public Task FlushAsync() => QueryAsync(static _ => true);

    public Task<AcdSnapshot> SnapshotAsync(bool withCalls = true) => QueryAsync(core => core.Snapshot(_time.GetUtcNow(), withCalls));

    private void Apply(AcdEvent input)
    {
        Log.Append(input);
        if (input is TimerTick) _timerDue = null; // the timer has fired: whatever is due next needs arming again
        _outputs.Clear();
        _core.Apply(input, _outputs);
        foreach (var output in _outputs)
        {
            if (output is EngineFault fault) _logger.LogWarning("ACD: {Fault}", fault.Message);
            if (CommandCall(output) is not { } callId) continue;
            if (_calls.TryGetValue(callId, out var handler)) Deliver(handler, output);
            else if (Unclaimed is { } unclaimed) Deliver(unclaimed, output);
            else if (output is OfferCall offer) _logger.LogWarning("ACD: offer of {Call} has nobody to carry it out", offer.CallId);
        }
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnOutputs(_outputs);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "ACD observer failed");
            }
        }
        ArmTimer();
    }

    private void Deliver(Action<AcdOutput> handler, AcdOutput output)
    {
        try
        {
            handler(output);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "ACD command handler failed for {Output}", output);
        }
    }

    private static string? CommandCall(AcdOutput output) => output switch
    {
        OfferCall o => o.CallId,
        AnnouncePosition a => a.CallId,
        OverflowCall o => o.CallId,
        OfferWithdrawn w => w.CallId,
        _ => null,
    };

    private void ArmTimer()
    {
        var next = _core.NextTimer;
        if (next == _timerDue) return;
        _timerDue = next;
        if (next is not { } due)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var wait = due - _time.GetUtcNow();
        _timer.Change(wait < TimeSpan.Zero ? TimeSpan.Zero : wait, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _timer.Dispose();
    }

    private sealed class Release(AcdEngine engine, string callId, Action<AcdOutput> handler) : IDisposable
    {
        public void Dispose() => engine._calls.TryRemove(new KeyValuePair<string, Action<AcdOutput>>(callId, handler));
    }
}
