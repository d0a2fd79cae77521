namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    private void Join(string callId, string queueName, string caller, int priority, IReadOnlyDictionary<string, int>? skills, string? callbackNumber)
    {
        if (_calls.ContainsKey(callId))
        {
            Fault($"call {callId} is already in a queue");
            return;
        }
        if (!_queues.TryGetValue(queueName, out var q))
        {
            Emit(new OverflowCall(_now, callId, queueName, OverflowReason.UnknownQueue, null));
            return;
        }
        var s = q.Settings;
        q.Counters.Offered++;
        if (s.MaxLength > 0 && q.Calls.Count >= s.MaxLength)
        {
            LeaveForOverflow(q, callId, caller, TimeSpan.Zero, OverflowReason.MaxLength);
            return;
        }
        if (callbackNumber is null && s.OverflowWhenNoAgents && !AnyoneLoggedIn(q))
        {
            LeaveForOverflow(q, callId, caller, TimeSpan.Zero, OverflowReason.NoAgents);
            return;
        }
        var call = new CallEntry(callId, q, q.LaneFor(skills), caller, priority, ++_sequence, _now) { CallbackNumber = callbackNumber };
        _calls.Add(callId, call);
        call.Lane.Calls.Add(call);
        q.Calls.Add(call);
        if (callbackNumber is null)
        {
            if (s.MaxWait > TimeSpan.Zero) Schedule(TimerKind.MaxWait, _now + s.MaxWait, call: call);
            var first = s.AnnounceFirst > TimeSpan.Zero ? s.AnnounceFirst : s.AnnounceEvery;
            if (first > TimeSpan.Zero) Schedule(TimerKind.Announce, _now + first, call: call);
        }
        Emit(new CallQueued(_now, callId, q.Name, caller, priority, Position(call), callbackNumber is not null));
        MarkDirty(q);
    }

    private static bool AnyoneLoggedIn(QueueEntry q)
    {
        foreach (var m in q.Members)
        {
            if (m.Agent.State != AgentState.LoggedOut) return true;
        }
        return false;
    }

    /// <summary>1 for the next caller to be served; a ringing caller keeps their place.</summary>
    private static int Position(CallEntry call)
    {
        // Most callers join at the back: no walk needed.
        if (ReferenceEquals(call.Queue.Calls.Max, call)) return call.Queue.Calls.Count;
        int position = 0;
        foreach (var c in call.Queue.Calls)
        {
            position++;
            if (ReferenceEquals(c, call)) return position;
        }
        return 0;
    }

    private void RemoveFromQueue(CallEntry call)
    {
        call.Lane.Calls.Remove(call);
        call.Queue.Calls.Remove(call);
        _calls.Remove(call.CallId);
        call.Phase = CallPhase.Gone;
        call.Version++;
    }

    private void Overflow(CallEntry call, OverflowReason reason)
    {
        RemoveFromQueue(call);
        LeaveForOverflow(call.Queue, call.CallId, call.Caller, _now - call.Joined, reason);
    }

    private void LeaveForOverflow(QueueEntry q, string callId, string caller, TimeSpan waited, OverflowReason reason)
    {
        q.Counters.Overflowed++;
        Emit(new CallLeftQueue(_now, callId, q.Name, caller, LeaveReason.Overflowed, waited, null));
        Emit(new OverflowCall(_now, callId, q.Name, reason, q.Settings.Overflow));
    }

    private void Abandon(CallEntry call, LeaveReason reason)
    {
        RemoveFromQueue(call);
        var waited = _now - call.Joined;
        call.Queue.Counters.Abandoned++;
        call.Queue.Counters.TotalAbandonedWait += waited;
        Emit(new CallLeftQueue(_now, call.CallId, call.Queue.Name, call.Caller, reason, waited, null));
    }

    private void OnHungUp(string callId)
    {
        // A hang-up after the call left the queue (overflowed, completed) is normal, not a fault.
        if (!_calls.TryGetValue(callId, out var call)) return;
        switch (call.Phase)
        {
            case CallPhase.Connected:
                OnCompleted(callId);
                return;
            case CallPhase.Waiting or CallPhase.RetryWait or CallPhase.Offering when call.IsCallback:
                // The caller hanging up after asking to be called back: their place is kept.
                return;
            case CallPhase.Offering:
                CancelOffer(call.Offer!);
                Abandon(call, LeaveReason.Abandoned);
                return;
            case CallPhase.Waiting:
                Abandon(call, LeaveReason.Abandoned);
                return;
        }
    }

    private void OnCallbackRequested(string callId, string number)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.Phase != CallPhase.Waiting || call.IsCallback)
        {
            Fault($"callback request for {callId}, which is not waiting");
            return;
        }
        if (!call.Queue.Settings.CallbackEnabled || string.IsNullOrEmpty(number))
        {
            Fault($"callback request for {callId}: queue {call.Queue.Name} takes no callbacks");
            return;
        }
        call.CallbackNumber = number;
        call.Version++; // no more announcements or max-wait overflow: nobody is listening
        call.Queue.Counters.CallbacksRequested++;
        Emit(new CallQueued(_now, callId, call.Queue.Name, call.Caller, call.Priority, Position(call), Callback: true));
    }

    private void OnCallbackCancelled(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call) || !call.IsCallback || call.Phase is not (CallPhase.Waiting or CallPhase.RetryWait))
        {
            Fault($"cancel for {callId}, which is not a pending callback");
            return;
        }
        Abandon(call, LeaveReason.CallbackCancelled);
    }

    private void OnOfferAnswered(string callId, string agentId)
    {
        var a = Agent(agentId, "answer");
        if (a is null) return;
        if (!_calls.TryGetValue(callId, out var call) || call.Offer is not { Open: true } offer || a.Offer != offer)
        {
            Fault($"answer by {agentId} for {callId}, which has no open offer to that agent");
            return;
        }
        offer.Open = false;
        call.Offer = null;
        foreach (var other in offer.Agents)
        {
            if (other != a && other.Offer == offer) EndOffer(other, noAnswer: false, call.Queue.Settings);
        }
        var q = call.Queue;
        a.Offer = null;
        a.Call = call;
        SetAgentState(a, AgentState.OnCall, call.CallId);
        // A callback keeps its place until the citizen answers: if they don't, it is retried from there.
        if (!call.IsCallback) q.Calls.Remove(call);
        call.Phase = CallPhase.Connected;
        call.Agent = a;
        call.Answered = _now;
        call.Version++;
        a.Counters.Answered++;
        a.Counters.AnsweredByQueue[q.Name] = a.Counters.AnsweredByQueue.GetValueOrDefault(q.Name) + 1;
        q.AnsweredBy[a.Id] = q.AnsweredBy.GetValueOrDefault(a.Id) + 1;
        foreach (var m in a.Memberships)
        {
            if (m.Queue == q) m.Answered++;
        }
        // A callback counts as answered when the citizen picks up, not the agent.
        if (!call.IsCallback) CountAnswered(call);
    }

    private void CountAnswered(CallEntry call)
    {
        var q = call.Queue;
        var waited = _now - call.Joined;
        q.Counters.Answered++;
        q.Counters.TotalWait += waited;
        if (waited <= q.Settings.ServiceLevel) q.Counters.AnsweredInServiceLevel++;
        Emit(new CallLeftQueue(_now, call.CallId, q.Name, call.Caller, LeaveReason.Answered, waited, call.Agent?.Id));
    }

    private void OnOfferFailed(string callId, OfferFailure reason)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.Offer is not { Open: true } offer)
        {
            Fault($"offer failure for {callId}, which has no open offer");
            return;
        }
        FailOffer(offer, reason);
    }

    private void OnOfferNarrowed(string callId, IReadOnlyList<string> ringing)
    {
        if (!_calls.TryGetValue(callId, out var call) || call.Offer is not { Open: true } offer)
        {
            Fault($"narrowing of {callId}, which has no open offer");
            return;
        }
        foreach (var a in offer.Agents)
        {
            if (a.Offer == offer && !ringing.Contains(a.Id)) EndOffer(a, noAnswer: false, call.Queue.Settings);
        }
        // Nobody left ringing: the offer is over without anyone to blame.
        if (!offer.Agents.Any(a => a.Offer == offer)) FailOffer(offer, OfferFailure.Failed);
    }

    private void FailOffer(Offer offer, OfferFailure reason)
    {
        offer.Open = false;
        var call = offer.Call;
        call.Offer = null;
        var settings = call.Queue.Settings;
        // Auto-pause blames one agent for letting a call ring out; with ring-all nobody in particular did.
        bool blame = reason == OfferFailure.NoAnswer && offer.Agents.Length == 1;
        foreach (var a in offer.Agents)
        {
            if (a.Offer != offer) continue;
            (call.Tried ??= []).Add(a);
            if (reason == OfferFailure.NoAnswer) a.Counters.Missed++;
            EndOffer(a, blame, settings);
        }
        ReturnToQueue(call);
    }

    /// <summary>A call whose offer or callback attempt ended without a conversation takes its place again.</summary>
    private void ReturnToQueue(CallEntry call)
    {
        var q = call.Queue;
        if (q.Removed)
        {
            Overflow(call, OverflowReason.QueueRemoved);
            return;
        }
        if (call.OverflowDue && !call.IsCallback)
        {
            Overflow(call, OverflowReason.MaxWait);
            return;
        }
        call.Phase = CallPhase.Waiting;
        call.Lane.Calls.Add(call);
        q.Calls.Add(call);
        MarkDirty(q);
    }

    private void CancelOffer(Offer offer)
    {
        offer.Open = false;
        offer.Call.Offer = null;
        foreach (var a in offer.Agents)
        {
            if (a.Offer == offer) EndOffer(a, noAnswer: false, offer.Call.Queue.Settings);
        }
    }

    private void OnCallbackReached(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call) || !call.IsCallback || call.Phase != CallPhase.Connected || call.CallbackReached)
        {
            Fault($"callback reached for {callId}, which is not a callback being dialled");
            return;
        }
        call.CallbackReached = true;
        call.Queue.Calls.Remove(call);
        CountAnswered(call);
    }

    private void OnCallbackUnreached(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call) || !call.IsCallback || call.Phase != CallPhase.Connected || call.CallbackReached)
        {
            Fault($"callback unreached for {callId}, which is not a callback being dialled");
            return;
        }
        CallbackMissed(call);
    }

    private void CallbackMissed(CallEntry call)
    {
        var a = call.Agent!;
        a.Call = null;
        call.Agent = null;
        AfterWork(a, TimeSpan.Zero, resetIdle: false);
        call.CallbackAttempts++;
        var s = call.Queue.Settings;
        if (call.CallbackAttempts >= s.CallbackAttempts || call.Queue.Removed)
        {
            call.Queue.Calls.Remove(call);
            _calls.Remove(call.CallId);
            call.Phase = CallPhase.Gone;
            var waited = _now - call.Joined;
            call.Queue.Counters.Abandoned++;
            call.Queue.Counters.TotalAbandonedWait += waited;
            Emit(new CallLeftQueue(_now, call.CallId, call.Queue.Name, call.Caller, LeaveReason.CallbackFailed, waited, null));
            return;
        }
        call.Phase = CallPhase.RetryWait;
        Schedule(TimerKind.CallbackRetry, _now + s.CallbackRetryDelay, call: call);
    }

    private void OnCompleted(string callId)
    {
        if (!_calls.TryGetValue(callId, out var call))
        {
            Fault($"completion of {callId}, which is not a queue call");
            return;
        }
        if (call.Phase != CallPhase.Connected)
        {
            OnHungUp(callId);
            return;
        }
        if (call.IsCallback && !call.CallbackReached)
        {
            CallbackMissed(call);
            return;
        }
        var q = call.Queue;
        var a = call.Agent!;
        var talked = _now - call.Answered;
        q.Counters.Completed++;
        q.Counters.TotalTalk += talked;
        a.Counters.Completed++;
        a.Counters.TotalTalk += talked;
        var wrapUp = a.Settings.WrapUp ?? q.Settings.WrapUp;
        // Estimated waits use a moving average of handle time (talk and wrap-up), weighted to recent calls.
        double handled = (talked + wrapUp).TotalSeconds;
        q.HandleSeconds = q.HandleSeconds == 0 ? handled : q.HandleSeconds * 0.8 + handled * 0.2;
        _calls.Remove(callId);
        call.Phase = CallPhase.Gone;
        Emit(new CallEnded(_now, callId, q.Name, a.Id, talked));
        a.Call = null;
        AfterWork(a, wrapUp, resetIdle: true);
    }
}
