using Hotline.Switch.Auth;
using Hotline.Switch.Calls;
using Hotline.Media.Engine;
using Hotline.Switch.Registrar;
using Hotline.Switch.Trunks;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Api;

/// <summary>
/// <see cref="ISwitchStatus"/> and <see cref="ISwitchCommands"/> over the switch's services. Registration
/// changes are forwarded as they happen; live calls are compared every 500 ms (call control has no
/// change event) and <see cref="CallsChanged"/> fires only when something differs. The comparison walks
/// the calls in place against what the last poll saw and builds the views only on a change: with a
/// thousand calls up and nothing changing it allocates nothing, where building every call's views (and
/// its legs' media statistics) twice a second was most of the server's garbage between call set-ups.
/// </summary>
public sealed class SwitchMonitor : ISwitchStatus, ISwitchCommands, IDisposable
{
    private static readonly TimeSpan s_callPoll = TimeSpan.FromMilliseconds(500);
    private const int RateWindowSeconds = 10;

    private readonly BindingTable _bindings;
    private readonly AuthFailureGuard _guard;
    private readonly CallManager? _calls;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<SwitchEndpoint> _endpoint;
    private readonly Func<IReadOnlyList<TrunkStatus>>? _trunks;
    private readonly Func<MediaEngineStatistics>? _media;
    private readonly ITimer? _poll;
    private readonly OverloadControl? _overload;
    private readonly Lock _lock = new();
    private readonly Queue<(DateTimeOffset At, int Count)> _starts = new();
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _gone = [];
    private long _polls;
    private long _callsStarted;

    // What the last poll saw of a call: what CallsChanged reports a change of, and in which poll.
    private struct Seen
    {
        public CallState State;
        public string Caller;
        public string Callee;
        public long Poll;
    }

    public SwitchMonitor(Func<SwitchEndpoint> endpoint, BindingTable bindings, AuthFailureGuard guard, CallManager? calls, TimeProvider time, ILogger logger,
        Func<IReadOnlyList<TrunkStatus>>? trunks = null, Func<MediaEngineStatistics>? media = null, OverloadControl? overload = null)
    {
        _overload = overload;
        _trunks = trunks;
        _media = media;
        _endpoint = endpoint;
        _bindings = bindings;
        _guard = guard;
        _calls = calls;
        _time = time;
        _logger = logger;
        _bindings.Changed += OnBindingChanged;
        if (_calls is not null) _poll = time.CreateTimer(_ => PollCalls(), null, s_callPoll, s_callPoll);
    }

    public SwitchEndpoint Endpoint => _endpoint();

    public event Action<RegistrationEvent>? RegistrationChanged;

    public event Action<IReadOnlyList<LiveCallView>>? CallsChanged;

    public IReadOnlyList<RegistrationView> Registrations() =>
        _bindings.All().Select(View).OrderBy(r => r.Aor, StringComparer.Ordinal).ThenBy(r => r.Contact, StringComparer.Ordinal).ToList();

    public IReadOnlyList<LiveCallView> LiveCalls() => _calls is null ? [] : Snapshot();

    public SwitchCounters Counters()
    {
        var calls = _calls?.ActiveCalls ?? 0;
        double rate;
        long started;
        lock (_lock)
        {
            Trim(_time.GetUtcNow());
            rate = _starts.Sum(s => s.Count) / (double)RateWindowSeconds;
            started = _callsStarted;
        }
        MediaCounters? media = null;
        if (_media?.Invoke() is { } m)
            media = new MediaCounters(m.Endpoints, m.RtpReceived, m.RtpSent, m.Relayed, m.Malformed, m.RejectedSource, m.SendErrors, m.LateTicks, m.RecordingFramesDropped, m.SkippedTicks);
        return new SwitchCounters(_bindings.Count, _bindings.AorCount, calls, started, rate, _guard.BlockedCount, media,
            _overload?.Rejected ?? 0, _overload?.QueueDelay.TotalMilliseconds ?? 0, _calls?.RtpTimeouts ?? 0);
    }

    public IReadOnlyList<TrunkView> Trunks() =>
        _trunks is null ? [] : _trunks().Select(t => new TrunkView(
            t.Name, t.Enabled, t.Link == TrunkLinkState.Up, t.Registration?.State.ToString(), t.Registration?.RegisteredUntil, t.Registration?.LastStatus,
            t.KeepAlive?.LastProbe, t.ActiveCalls, t.CallsLastMinute, t.MaxConcurrentCalls, t.MaxCallsPerMinute)).ToList();

    public bool CanHangUp => _calls is not null;

    public CommandResult HangUp(string callId, string reason)
    {
        if (_calls is null) return CommandResult.Refused("call control is not running");
        return _calls.HangUp(callId, reason) ? CommandResult.Ok : CommandResult.Refused($"no live call {callId}");
    }

    /// <summary>Compares the live calls with the last look; counts new ones for the call rate and raises <see cref="CallsChanged"/>.</summary>
    public void PollCalls()
    {
        if (_calls is null) return;
        try
        {
            var now = _time.GetUtcNow();
            bool changed = false;
            lock (_lock)
            {
                long poll = ++_polls;
                int fresh = 0;
                int present = 0;
                foreach (var call in _calls!.Calls())
                {
                    present++;
                    ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_seen, call.Id, out bool known);
                    if (!known)
                        fresh++;
                    if (!known || seen.State != call.State || !string.Equals(seen.Caller, call.Caller, StringComparison.Ordinal)
                        || !string.Equals(seen.Callee, call.Callee, StringComparison.Ordinal))
                    {
                        seen.State = call.State;
                        seen.Caller = call.Caller;
                        seen.Callee = call.Callee;
                        changed = true;
                    }
                    seen.Poll = poll;
                }
                if (present != _seen.Count)
                {
                    // Calls that ended since the last look.
                    foreach (var (id, seen) in _seen)
                        if (seen.Poll != poll) _gone.Add(id);
                    foreach (var id in _gone) _seen.Remove(id);
                    _gone.Clear();
                    changed = true;
                }
                if (fresh > 0)
                {
                    _callsStarted += fresh;
                    _starts.Enqueue((now, fresh));
                }
                Trim(now);
            }
            if (changed && CallsChanged is { } handlers) handlers(Snapshot());
        }
        catch (Exception e)
        {
            _logger.LogError(e, "live call poll failed");
        }
    }

    private IReadOnlyList<LiveCallView> Snapshot() =>
        _calls!.Snapshot()
            .Select(c => new LiveCallView(c.CallId, c.Caller, c.Callee, c.State.ToString(), c.Started, c.InboundTrunk,
                c.Legs.Select(l => new LiveLegView(l.Role, l.Peer, l.Media.Codec, l.Media.PacketsReceived, l.Media.PacketsSent, l.Media.PacketsLost)).ToList()))
            .OrderBy(c => c.Started)
            .ToList();

    private void Trim(DateTimeOffset now)
    {
        while (_starts.Count > 0 && now - _starts.Peek().At > TimeSpan.FromSeconds(RateWindowSeconds)) _starts.Dequeue();
    }

    private void OnBindingChanged(BindingChange change)
    {
        var kind = change.Kind switch
        {
            BindingChangeKind.Added => RegistrationEventKind.Added,
            BindingChangeKind.Refreshed => RegistrationEventKind.Refreshed,
            BindingChangeKind.Removed => RegistrationEventKind.Removed,
            _ => RegistrationEventKind.Expired,
        };
        RegistrationChanged?.Invoke(new RegistrationEvent(kind, View(change.Binding)));
    }

    private static RegistrationView View(Binding b) => new(
        b.Aor, b.ContactUri, b.Transport.ToString().ToUpperInvariant(), $"{b.SourceAddress}:{b.SourcePort}", b.UserAgent,
        DateTimeOffset.FromUnixTimeMilliseconds(b.RegisteredAtMs), DateTimeOffset.FromUnixTimeMilliseconds(b.ExpiresAtMs));

    public void Dispose()
    {
        _bindings.Changed -= OnBindingChanged;
        _poll?.Dispose();
    }
}
