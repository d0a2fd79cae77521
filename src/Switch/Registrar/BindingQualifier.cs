using System.Collections.Concurrent;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Registrar;

/// <summary>
/// Pings every registered contact with OPTIONS at a steady interval ("qualify"). The ping keeps the
/// phone's NAT mapping open, so calls can reach a phone behind NAT between its registrations, and it
/// tells which contacts answer: calls are not forked to a contact that stopped answering.
/// </summary>
public sealed class BindingQualifier : IDisposable
{
    private readonly BindingTable _table;
    private readonly TransactionLayer _layer;
    private readonly LocalContact _local;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly int _failuresToUnreachable;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, QualifyState> _states = new();
    private readonly ITimer? _timer;

    public BindingQualifier(BindingTable table, TransactionLayer layer, LocalContact local, TimeProvider time, TimeSpan interval,
        ILogger logger, int failuresToUnreachable = 2)
    {
        _table = table;
        _layer = layer;
        _local = local;
        _time = time;
        _interval = interval;
        _failuresToUnreachable = failuresToUnreachable;
        _logger = logger;
        table.Changed += OnChanged;
        if (interval > TimeSpan.Zero) _timer = time.CreateTimer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Snapshot of one contact's qualify state.</summary>
    public sealed record QualifyStatus(bool Reachable, double? RoundTripMs, int ConsecutiveFailures);

    /// <summary>False only for a contact that stopped answering; unknown contacts count as reachable.</summary>
    public bool IsReachable(Binding binding) => !_states.TryGetValue(binding.Key, out var s) || s.Reachable;

    public QualifyStatus? Status(Binding binding) =>
        _states.TryGetValue(binding.Key, out var s) ? new QualifyStatus(s.Reachable, s.RoundTripMs, s.Failures) : null;

    private void OnChanged(BindingChange change)
    {
        if (change.Kind is BindingChangeKind.Removed or BindingChangeKind.Expired) _states.TryRemove(change.Binding.Key, out _);
        else if (change.Kind == BindingChangeKind.Added)
        {
            // Spread the first pings over the interval so a burst of registrations doesn't ping in a burst.
            var offset = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _interval.TotalMilliseconds);
            _states[change.Binding.Key] = new QualifyState { Due = _time.GetTimestamp() + Ticks(offset) };
        }
    }

    private long Ticks(TimeSpan t) => (long)(t.TotalSeconds * _time.TimestampFrequency);

    private void Sweep()
    {
        var now = _time.GetTimestamp();
        foreach (var binding in _table.All())
        {
            var state = _states.GetOrAdd(binding.Key, _ => new QualifyState { Due = now });
            if (state.InFlight || state.Due > now) continue;
            state.InFlight = true;
            state.Due = now + Ticks(_interval);
            try
            {
                Ping(binding, state);
            }
            catch (Exception e)
            {
                // A timer callback that throws ends the process: one unusable binding must cost its own ping only.
                state.InFlight = false;
                _logger.LogWarning(e, "cannot qualify {Aor} at {Contact}", binding.Aor, binding.ContactUri);
            }
        }
    }

    private void Ping(Binding binding, QualifyState state)
    {
        var w = SipMessageWriter.Request(SipMethod.Options, binding.RequestUri);
        w.Header(HeaderId.Via, _local.Via(binding.Transport, SipIds.NewBranch()));
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"<sip:qualify@{_local.HostPort}>;tag={SipIds.NewTag()}");
        w.Header(HeaderId.To, $"<{binding.RequestUri}>");
        w.Header(HeaderId.CallId, SipIds.NewCallId(_local.Host));
        w.Header(HeaderId.CSeq, "1 OPTIONS");
        var sent = _time.GetTimestamp();
        var tx = _layer.CreateClient(w.NoBody().ToMessage(), binding.Destination);
        tx.ResponseReceived = (_, r) =>
        {
            if (r.StatusCode < 200) return;
            // Any final answer means the phone is there (many answer OPTIONS with 405 or 404).
            state.RoundTripMs = _time.GetElapsedTime(sent).TotalMilliseconds;
            state.Failures = 0;
            if (!state.Reachable) _logger.LogInformation("{Aor} at {Contact} answers again", binding.Aor, binding.ContactUri);
            state.Reachable = true;
            state.InFlight = false;
        };
        tx.Failed = (_, _) =>
        {
            state.InFlight = false;
            if (++state.Failures >= _failuresToUnreachable && state.Reachable)
            {
                state.Reachable = false;
                _logger.LogWarning("{Aor} at {Contact} does not answer OPTIONS: calls skip it", binding.Aor, binding.ContactUri);
            }
        };
        tx.Start();
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _table.Changed -= OnChanged;
    }

    private sealed class QualifyState
    {
        public long Due;
        public volatile bool InFlight;
        public volatile bool Reachable = true;
        public int Failures;
        public double? RoundTripMs;
    }
}
