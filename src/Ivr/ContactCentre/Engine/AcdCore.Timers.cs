namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    private enum TimerKind { WrapUpEnd, PauseEnd, MaxWait, Announce, OfferGuard, CallbackRetry }

    /// <summary>A timer remembers the version of what it was set for; a newer version makes it stale.</summary>
    private readonly record struct TimerItem(TimerKind Kind, AgentEntry? Agent, CallEntry? Call, Offer? Offer, long Version);

    /// <summary>Due time, then the order timers were set: equal due times fire in a fixed order.</summary>
    private readonly record struct TimerKey(DateTimeOffset Due, long Order) : IComparable<TimerKey>
    {
        public int CompareTo(TimerKey other)
        {
            int c = Due.UtcTicks.CompareTo(other.Due.UtcTicks);
            return c != 0 ? c : Order.CompareTo(other.Order);
        }
    }

    private readonly PriorityQueue<TimerItem, TimerKey> _timers = new();
    private long _timerOrder;

    /// <summary>When the next timer is due, or null; the host sends a <see cref="TimerTick"/> then.</summary>
    public DateTimeOffset? NextTimer => _timers.TryPeek(out _, out var key) ? key.Due : null;

    /// <summary>Timers set, including stale ones not yet due (for tests and diagnostics).</summary>
    public int PendingTimers => _timers.Count;

    private void Schedule(TimerKind kind, DateTimeOffset due, AgentEntry? agent = null, CallEntry? call = null, Offer? offer = null)
    {
        long version = agent?.Version ?? call?.Version ?? 0;
        _timers.Enqueue(new TimerItem(kind, agent, call, offer, version), new TimerKey(due, ++_timerOrder));
    }

    private void RunTimers(DateTimeOffset until)
    {
        while (_timers.TryPeek(out var item, out var key) && key.Due.UtcTicks <= until.UtcTicks)
        {
            _timers.Dequeue();
            if (key.Due.UtcTicks > _now.UtcTicks) _now = key.Due;
            Fire(item);
            DispatchDirty();
        }
    }

    private void Fire(TimerItem t)
    {
        switch (t.Kind)
        {
            case TimerKind.WrapUpEnd:
                if (t.Agent!.Version == t.Version && t.Agent.State == AgentState.WrapUp) MakeAvailable(t.Agent, resetIdle: true);
                break;
            case TimerKind.PauseEnd:
                if (t.Agent!.Version == t.Version && t.Agent.State == AgentState.Paused) MakeAvailable(t.Agent, resetIdle: true);
                break;
            case TimerKind.MaxWait:
                if (t.Call!.Version != t.Version || t.Call.IsCallback) break;
                if (t.Call.Phase == CallPhase.Waiting) Overflow(t.Call, OverflowReason.MaxWait);
                else if (t.Call.Phase == CallPhase.Offering) t.Call.OverflowDue = true; // let the agent's phone finish ringing
                break;
            case TimerKind.Announce:
                Announce(t.Call!, t.Version);
                break;
            case TimerKind.OfferGuard:
                if (t.Offer!.Open)
                {
                    // The call side never reported how the offer went: free the agents rather than keep them reserved.
                    Fault($"offer of {t.Offer.Call.CallId} had no outcome after the ring timeout; agents released");
                    Emit(new OfferWithdrawn(_now, t.Offer.Call.CallId));
                    FailOffer(t.Offer, OfferFailure.Failed);
                }
                break;
            case TimerKind.CallbackRetry:
                if (t.Call!.Version == t.Version && t.Call.Phase == CallPhase.RetryWait)
                {
                    t.Call.Queue.Calls.Remove(t.Call);
                    ReturnToQueue(t.Call);
                }
                break;
        }
    }

    private void Announce(CallEntry call, long version)
    {
        if (call.Version != version || call.IsCallback || call.Phase is CallPhase.Gone or CallPhase.Connected) return;
        var s = call.Queue.Settings;
        // While an agent's phone rings the caller hears music; the announcement waits for the next interval.
        if (call.Phase == CallPhase.Waiting)
        {
            int position = Position(call);
            Emit(new AnnouncePosition(_now, call.CallId, position, EstimatedWait(call.Queue, position)));
        }
        if (s.AnnounceEvery > TimeSpan.Zero) Schedule(TimerKind.Announce, _now + s.AnnounceEvery, call: call);
    }

    /// <summary>
    /// Position × average handle time ÷ agents staffed: when every staffed agent takes the next caller in
    /// turn, that is how long until this caller's turn. Null when nobody is staffed.
    /// </summary>
    private static TimeSpan? EstimatedWait(QueueEntry q, int position)
    {
        int staffed = 0;
        foreach (var m in q.Members)
        {
            if (m.Agent.Staffed) staffed++;
        }
        if (staffed == 0) return null;
        double handle = q.HandleSeconds > 0 ? q.HandleSeconds : q.Settings.DefaultHandleTime.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Round(position * handle / staffed));
    }
}
