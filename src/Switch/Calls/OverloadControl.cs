using Hotline.Switch.Core;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// Local overload control for new calls (RFC 6357 §4, "local overload control"). Above the rate it can carry,
/// a B2BUA that accepts every INVITE falls behind: setups take seconds, callers retransmit, the
/// retransmissions cost more work, and the rate it completes collapses far below what it could do. So the
/// switch measures how far behind it is — how long a work item waits in the thread pool's queue before a
/// thread runs it, where every SIP message and call event waits — and sheds new INVITEs with 503 before
/// authentication, routing or media cost anything, while requests inside dialogs (ACK, BYE, re-INVITE)
/// go on being served so the calls already up finish and free their resources.
/// Between half and twice Calls:OverloadQueueDelayMs a growing share of new calls is refused (random
/// early rejection, so the offered rate is cut smoothly instead of switching on and off); above it, all.
/// Calls:MaxConcurrentCalls, when set, is a hard limit on calls up at once.
/// No Retry-After: a carrier's proxy that sees one stops sending this switch any call for that long
/// (RFC 3261 §21.5.4), while shedding a share of calls should make it fail over only those.
/// </summary>
public sealed class OverloadControl : IAdmissionControl, IDisposable
{
    private static readonly TimeSpan s_probeEvery = TimeSpan.FromMilliseconds(50);
    private const double Smoothing = 0.25; // weight of each 50 ms sample: reacts within a few hundred ms

    private readonly CallOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<int> _activeCalls;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ITimer? _timer;
    private readonly Lock _gate = new();
    private double _delayMs;        // smoothed queue delay
    private long _probeSent;       // timestamp of the probe in the queue, or 0
    private long _rejected;
    private bool _shedding;        // for logging transitions only

    public OverloadControl(CallOptions options, TimeProvider time, Func<int> activeCalls, ILogger logger, Random? random = null, bool probe = true)
    {
        _options = options;
        _time = time;
        _activeCalls = activeCalls;
        _logger = logger;
        _random = random ?? Random.Shared;
        if (probe && options.OverloadQueueDelayMs > 0)
            _timer = time.CreateTimer(static s => ((OverloadControl)s!).Probe(), this, s_probeEvery, s_probeEvery);
    }

    /// <summary>How long work waits for a thread now (smoothed).</summary>
    public TimeSpan QueueDelay
    {
        get { lock (_gate) return TimeSpan.FromMilliseconds(_delayMs); }
    }

    /// <summary>New calls refused with 503 since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public bool TryAdmit(out string refusal)
    {
        refusal = "";
        var max = _options.MaxConcurrentCalls;
        if (max > 0 && _activeCalls() >= max)
        {
            refusal = "Too Many Calls";
            Interlocked.Increment(ref _rejected);
            return false;
        }
        var target = _options.OverloadQueueDelayMs;
        if (target <= 0) return true;
        double delay, share;
        lock (_gate)
        {
            delay = _delayMs;
            share = Math.Clamp((delay - target / 2.0) / (target * 2.0 - target / 2.0), 0, 1);
            if (share <= 0 || _random.NextDouble() >= share) return true;
        }
        refusal = "Overloaded";
        Interlocked.Increment(ref _rejected);
        return false;
    }

    /// <summary>One measurement of the queue delay (the probe's, or a test's).</summary>
    internal void Observe(TimeSpan delay)
    {
        bool shedding, changed;
        lock (_gate)
        {
            _delayMs += Smoothing * (delay.TotalMilliseconds - _delayMs);
            shedding = _delayMs > _options.OverloadQueueDelayMs / 2.0;
            changed = shedding != _shedding;
            _shedding = shedding;
        }
        if (!changed) return;
        if (shedding) _logger.LogWarning("overloaded: work waits {Delay:0} ms for a thread; refusing a share of new calls with 503", delay.TotalMilliseconds);
        else _logger.LogWarning("overload over: {Rejected} new calls refused so far", Rejected);
    }

    // Every 50 ms a no-op goes through the thread pool's global queue; the time it waited is the delay.
    // A probe still waiting at the next look is counted at its age so far, so a stall shows at once.
    private void Probe()
    {
        var now = _time.GetTimestamp();
        var sent = Interlocked.Read(ref _probeSent);
        if (sent != 0)
        {
            Observe(_time.GetElapsedTime(sent, now));
            return;
        }
        Interlocked.Exchange(ref _probeSent, now);
        ThreadPool.UnsafeQueueUserWorkItem(static s => s.ProbeRan(), this, preferLocal: false);
    }

    private void ProbeRan()
    {
        var sent = Interlocked.Exchange(ref _probeSent, 0);
        if (sent != 0) Observe(_time.GetElapsedTime(sent));
    }

    public void Dispose() => _timer?.Dispose();
}
