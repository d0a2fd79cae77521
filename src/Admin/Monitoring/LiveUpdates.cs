using Hotline.Ivr.ContactCentre;
using Hotline.Switch.Api;

namespace Hotline.Admin.Monitoring;

/// <summary>What a live view watches: phones registering, calls, or the contact centre (queues, agents, rooms, supervision).</summary>
public enum LiveTopic { Registrations, Calls, ContactCentre }

/// <summary>
/// Pushes switch events to live views. A view subscribes with a callback that re-renders it; events are
/// coalesced so a burst (a thousand phones re-registering) costs one render per 200 ms per view, and
/// the first event of a quiet spell is delivered at once.
/// </summary>
public sealed class LiveUpdates : IDisposable
{
    private static readonly TimeSpan s_coalesce = TimeSpan.FromMilliseconds(200);
    private readonly ISwitchStatus _status;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly ContactCentreEvents.Subscription _acd;

    public LiveUpdates(ISwitchStatus status, ContactCentreHost contactCentre, TimeProvider time)
    {
        _status = status;
        _time = time;
        _status.RegistrationChanged += OnRegistration;
        _status.CallsChanged += OnCalls;
        // Contact-centre events arrive on their own channel; each one (call queued, agent state, conference …) refreshes its views.
        _acd = contactCentre.Events.Subscribe();
        _ = Task.Run(ForwardContactCentreAsync);
    }

    private async Task ForwardContactCentreAsync()
    {
        // Ends when the subscription is disposed (its channel completes).
        await foreach (var _ in _acd.Reader.ReadAllAsync()) Raise(LiveTopic.ContactCentre);
    }

    public IDisposable Subscribe(LiveTopic topic, Func<Task> refresh)
    {
        var s = new Subscription(this, topic, refresh);
        lock (_lock) _subscriptions.Add(s);
        return s;
    }

    private void OnRegistration(RegistrationEvent _) => Raise(LiveTopic.Registrations);

    private void OnCalls(IReadOnlyList<LiveCallView> _) => Raise(LiveTopic.Calls);

    private void Raise(LiveTopic topic)
    {
        Subscription[] targets;
        lock (_lock) targets = _subscriptions.Where(s => s.Topic == topic).ToArray();
        foreach (var s in targets) s.Signal();
    }

    private void Remove(Subscription s)
    {
        lock (_lock) _subscriptions.Remove(s);
    }

    public void Dispose()
    {
        _status.RegistrationChanged -= OnRegistration;
        _status.CallsChanged -= OnCalls;
        _acd.Dispose();
    }

    private sealed class Subscription(LiveUpdates owner, LiveTopic topic, Func<Task> refresh) : IDisposable
    {
        private int _pending;
        private long _last;
        public LiveTopic Topic => topic;

        public void Signal()
        {
            if (Interlocked.Exchange(ref _pending, 1) == 1) return;
            var since = owner._time.GetElapsedTime(Interlocked.Read(ref _last));
            var wait = since >= s_coalesce ? TimeSpan.Zero : s_coalesce - since;
            _ = Task.Run(async () =>
            {
                if (wait > TimeSpan.Zero) await Task.Delay(wait, owner._time);
                Interlocked.Exchange(ref _pending, 0);
                Interlocked.Exchange(ref _last, owner._time.GetTimestamp());
                try
                {
                    await refresh();
                }
                catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
                {
                    // The circuit went away between the event and the render; its Dispose removes the subscription.
                }
            });
        }

        public void Dispose() => owner.Remove(this);
    }
}
