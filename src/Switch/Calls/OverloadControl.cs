using Hotline.Switch.Core;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// Local overload control for new calls (RFC 6357 §4, "local overload control"). Above the rate it can carry,
/// a B2BUA that accepts every INVITE falls behind: setups take seconds, callers retransmit and give up on
/// calls the switch then still works on, and the rate it completes collapses far below what it could do.
/// So the switch measures how far behind it is — how long a work item waits in the thread pool's queue
/// before a thread runs it, where every SIP message and call event waits — and refuses a share of new
/// INVITEs with 503 before authentication, routing or media cost anything, while requests inside dialogs
/// (ACK, BYE, re-INVITE) go on being served so the calls already up finish and free their resources.
/// The share is moved step by step (an integral controller), not set from the delay of the moment: work
/// admitted now loads the switch for the seconds its call takes to set up and end, so a share that
/// followed the instantaneous delay would swing between refusing everything and admitting a flood.
/// Every 50 ms: above Calls:OverloadQueueDelayMs the share rises by 5 points, below half of it it falls
/// by 2, in between it holds — so it settles where the delay sits between the two.
/// Work can also wait before any thread sees it: in the kernel's receive queue of the SIP socket, when the
/// receive loops fall behind. When that queue is an eighth full (about 1 MB of the 8 MB the kernel gives a
/// 4 MB buffer: some 450 INVITE-sized datagrams, a few hundred milliseconds of work), the sample counts as
/// twice the target whatever the thread pool says.
/// Calls:MaxConcurrentCalls, when set, is a hard limit on calls up at once.
/// Calls to emergency numbers (110, 119, 120, 122 …, the numbering plan's) are never refused, by either.
/// No Retry-After: a carrier's proxy that sees one stops sending this switch any call for that long
/// (RFC 3261 §21.5.4), while shedding a share of calls should make it fail over only those.
/// </summary>
public sealed class OverloadControl : IAdmissionControl, IThreadPoolWorkItem, IDisposable
{
    private static readonly TimeSpan s_probeEvery = TimeSpan.FromMilliseconds(50);
    private const double Smoothing = 0.25; // weight of each 50 ms sample: filters one-off stalls (a GC, a descheduled thread)
    private const double Raise = 0.05;     // share added per sample above the target: all refused after 1 s
    private const double Lower = 0.02;     // share taken per sample below half of it: back to none in 2.5 s
    private const double BacklogFill = 0.125;

    private readonly CallOptions _options;
    private readonly TimeProvider _time;
    private readonly Func<int> _activeCalls;
    private readonly Func<double?>? _receiveQueueFill;
    private readonly Func<string, bool>? _exempt;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly ITimer? _timer;
    private readonly Lock _gate = new();
    private double _delayMs;        // smoothed queue delay
    private double _share;          // of new calls refused
    private long _probeSent;       // timestamp of the probe in the queue, or 0
    private long _rejected;
    private bool _shedding;        // for logging transitions only

    /// <param name="receiveQueueFill">How full the SIP socket's kernel receive queue is (0 to 1), when known.</param>
    /// <param name="exempt">Dialled numbers never refused (emergency numbers).</param>
    public OverloadControl(CallOptions options, TimeProvider time, Func<int> activeCalls, ILogger logger, Random? random = null, bool probe = true,
        Func<double?>? receiveQueueFill = null, Func<string, bool>? exempt = null)
    {
        _exempt = exempt;
        _receiveQueueFill = receiveQueueFill;
        _options = options;
        _time = time;
        _activeCalls = activeCalls;
        _logger = logger;
        _random = random ?? Random.Shared;
        if (probe && options.OverloadQueueDelayMs > 0)
            _timer = time.CreateTimer(static s => ((OverloadControl)s!).Probe(), this, s_probeEvery, s_probeEvery);
    }

    /// <summary>The share of new calls refused now (0 to 1).</summary>
    public double RefusedShare
    {
        get { lock (_gate) return _share; }
    }

    /// <summary>How long work waits for a thread now (smoothed).</summary>
    public TimeSpan QueueDelay
    {
        get { lock (_gate) return TimeSpan.FromMilliseconds(_delayMs); }
    }

    /// <summary>New calls refused with 503 since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public bool TryAdmit(SipMessage invite, out string refusal)
    {
        refusal = "";
        var max = _options.MaxConcurrentCalls;
        if (max > 0 && _activeCalls() >= max)
            refusal = "Too Many Calls";
        else if (_options.OverloadQueueDelayMs > 0)
        {
            lock (_gate)
            {
                if (_share > 0 && _random.NextDouble() < _share) refusal = "Overloaded";
            }
        }
        if (refusal.Length == 0) return true;
        // Only a call about to be refused has its number looked at, so admitting costs nothing extra.
        if (_exempt is not null && Dialled(invite) is { } number && _exempt(number))
        {
            refusal = "";
            return true;
        }
        Interlocked.Increment(ref _rejected);
        return false;
    }

    private static string? Dialled(SipMessage invite) =>
        SipUri.TryParse(invite.Span(invite.RequestUri), out var uri, out _) ? (uri.IsTel ? uri.User : uri.UserUnescaped) : null;

    /// <summary>One measurement of the queue delay (the probe's, or a test's).</summary>
    internal void Observe(TimeSpan delay)
    {
        var target = _options.OverloadQueueDelayMs;
        bool shedding, changed;
        double smoothed;
        lock (_gate)
        {
            _delayMs += Smoothing * (delay.TotalMilliseconds - _delayMs);
            smoothed = _delayMs;
            if (_delayMs > target) _share = Math.Min(1, _share + Raise);
            else if (_delayMs < target / 2.0) _share = Math.Max(0, _share - Lower);
            shedding = _share > 0;
            changed = shedding != _shedding;
            _shedding = shedding;
        }
        if (!changed) return;
        if (shedding) _logger.LogWarning("overloaded: work waits {Delay:0} ms for a thread; refusing a share of new calls with 503", smoothed);
        else _logger.LogWarning("overload over: {Rejected} new calls refused so far", Rejected);
    }

    // Every 50 ms a no-op goes through the thread pool's global queue; the time it waited is the delay
    // (unless the socket's backlog already says the switch is behind).
    // A probe still waiting at the next look is counted at its age so far, so a stall shows at once.
    private void Probe()
    {
        if (_receiveQueueFill?.Invoke() >= BacklogFill)
        {
            Observe(TimeSpan.FromMilliseconds(2 * _options.OverloadQueueDelayMs));
            return;
        }
        var now = _time.GetTimestamp();
        var sent = Interlocked.Read(ref _probeSent);
        if (sent != 0)
        {
            Observe(_time.GetElapsedTime(sent, now));
            return;
        }
        Interlocked.Exchange(ref _probeSent, now);
        // Queued as itself: twenty probes a second, none allocating a work item.
        ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>The probe, run by the thread pool: how long it waited there is the sample.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        var sent = Interlocked.Exchange(ref _probeSent, 0);
        if (sent != 0) Observe(_time.GetElapsedTime(sent));
    }

    public void Dispose() => _timer?.Dispose();
}
