using System.Net;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Trunks;

public enum TrunkLinkState { Up, Down }

/// <summary>The keep-alive's view of a trunk for the panel: up or down since when, and the last probe.</summary>
public sealed record KeepAliveStatus(TrunkLinkState State, DateTimeOffset Since, int ConsecutiveFailures, DateTimeOffset? LastProbe, int LastStatus);

/// <summary>
/// Probes a trunk with OPTIONS (RFC 3261 §11) every interval. Any final response proves the peer is
/// there, whatever its status (a carrier may well answer 403 or 405 to an OPTIONS it doesn't like);
/// <see cref="Trunk.OptionsFailuresToDown"/> probes in a row without one (timeout or transport error)
/// mark the trunk down, and the next answered probe marks it up again. A trunk starts up, so calls
/// flow before the first probe has been answered.
/// </summary>
internal sealed class TrunkKeepAlive
{
    private readonly object _gate = new();
    private readonly TransactionLayer _layer;
    private readonly LocalContact _local;
    private readonly ITrunkResolver _resolver;
    private readonly TrunkTimings _timings;
    private readonly ILogger _logger;
    private readonly string _userAgent;
    private TimeProvider Time => _layer.Time;

    private ITimer? _nextProbe;
    private ITimer? _probeTimeout;
    private ClientTransaction? _current;
    private DateTimeOffset _probeStarted;
    private bool _stopped;

    private TrunkLinkState _state = TrunkLinkState.Up;
    private DateTimeOffset _since;
    private int _failures;
    private DateTimeOffset? _lastProbe;
    private int _lastStatus;

    public TrunkKeepAlive(Trunk settings, TransactionLayer layer, LocalContact local, ITrunkResolver resolver, TrunkTimings timings, ILogger logger, string userAgent)
    {
        Settings = settings;
        _layer = layer;
        _local = local;
        _resolver = resolver;
        _timings = timings;
        _logger = logger;
        _userAgent = userAgent;
        _since = Time.GetUtcNow();
    }

    public Trunk Settings { get; }

    private TimeSpan Interval => TimeSpan.FromSeconds(Settings.OptionsIntervalSeconds);

    public bool SameSettings(Trunk other) =>
        other.Host == Settings.Host && other.Port == Settings.Port && other.Transport == Settings.Transport && other.Domain == Settings.Domain
        && other.Username == Settings.Username && other.OptionsIntervalSeconds == Settings.OptionsIntervalSeconds
        && other.OptionsFailuresToDown == Settings.OptionsFailuresToDown;

    public bool IsDown
    {
        get
        {
            lock (_gate) return _state == TrunkLinkState.Down;
        }
    }

    public KeepAliveStatus Status
    {
        get
        {
            lock (_gate) return new(_state, _since, _failures, _lastProbe, _lastStatus);
        }
    }

    /// <summary>Sends the first probe now, the next ones every interval.</summary>
    public void Start() => _ = ProbeAsync();

    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _current = null;
            _nextProbe?.Dispose();
            _probeTimeout?.Dispose();
            _nextProbe = _probeTimeout = null;
        }
    }

    private async Task ProbeAsync()
    {
        try
        {
            var address = await _resolver.ResolveAsync(Settings.Host).ConfigureAwait(false);
            ClientTransaction? tx = null;
            lock (_gate)
            {
                if (_stopped) return;
                _probeStarted = Time.GetUtcNow();
                _lastProbe = _probeStarted;
                if (address is null)
                {
                    Failed();
                    return;
                }
                var request = TrunkRequests.Options(Settings, _local, _userAgent);
                tx = _layer.CreateClient(request, new SipEndPoint(Settings.Transport, new IPEndPoint(address, Settings.Port)));
                tx.ResponseReceived = (t, r) =>
                {
                    if (r.StatusCode >= 200) Answered(t, r.StatusCode);
                };
                tx.Failed = (t, _) => Unanswered(t);
                _current = tx;
                _probeTimeout?.Dispose();
                _probeTimeout = Time.CreateTimer(static s => ((TrunkKeepAlive)s!).TimedOut(), this, _timings.OptionsTimeout, Timeout.InfiniteTimeSpan);
            }
            tx.Start();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "trunk {Trunk}: OPTIONS probe failed", Settings.Name);
        }
    }

    private void Answered(ClientTransaction tx, int status)
    {
        lock (_gate)
        {
            if (tx != _current) return;
            _current = null;
            _lastStatus = status;
            _failures = 0;
            if (_state == TrunkLinkState.Down)
            {
                _state = TrunkLinkState.Up;
                _since = Time.GetUtcNow();
                _logger.LogInformation("trunk {Trunk}: up (OPTIONS answered {Status})", Settings.Name, status);
            }
            ScheduleNext();
        }
    }

    private void Unanswered(ClientTransaction tx)
    {
        lock (_gate)
        {
            if (tx != _current) return;
            _current = null;
            Failed();
        }
    }

    private void TimedOut()
    {
        lock (_gate)
        {
            if (_current is null) return;
            // The transaction runs on to Timer F; a late answer is ignored (it is no longer current).
            _current = null;
            Failed();
        }
    }

    /// <summary>Under the lock.</summary>
    private void Failed()
    {
        _lastStatus = 0;
        _failures++;
        if (_state == TrunkLinkState.Up && _failures >= Settings.OptionsFailuresToDown)
        {
            _state = TrunkLinkState.Down;
            _since = Time.GetUtcNow();
            _logger.LogWarning("trunk {Trunk}: down ({Failures} OPTIONS unanswered)", Settings.Name, _failures);
        }
        ScheduleNext();
    }

    /// <summary>Under the lock: the next probe one interval after this one started (at once if that has passed).</summary>
    private void ScheduleNext()
    {
        _probeTimeout?.Dispose();
        _probeTimeout = null;
        if (_stopped) return;
        var due = _probeStarted + Interval - Time.GetUtcNow();
        if (due < TimeSpan.Zero) due = TimeSpan.Zero;
        _nextProbe?.Dispose();
        _nextProbe = Time.CreateTimer(static s => ((TrunkKeepAlive)s!).Start(), this, due, Timeout.InfiniteTimeSpan);
    }
}
