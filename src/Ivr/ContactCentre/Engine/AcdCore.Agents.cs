namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    public const string NoAnswerPause = "no-answer";

    private void SetAgentState(AgentEntry a, AgentState state, string? callId = null, string? reason = null)
    {
        bool wasFree = a.Free;
        a.State = state;
        a.Since = _now;
        a.Version++;
        a.PauseReason = state == AgentState.Paused ? reason : null;
        FreeChanged(a, wasFree);
        Emit(new AgentStateChanged(_now, a.Id, state, reason, callId, a.Phone));
    }

    private static string? CurrentCall(AgentEntry a) => a.Call?.CallId ?? a.Offer?.Call.CallId;

    private void FreeChanged(AgentEntry a, bool wasFree)
    {
        if (a.Free == wasFree) return;
        int delta = a.Free ? 1 : -1;
        foreach (var m in a.Memberships)
        {
            m.Queue.FreeMembers += delta;
            if (delta > 0) MarkDirty(m.Queue);
        }
    }

    private void MakeAvailable(AgentEntry a, bool resetIdle)
    {
        if (resetIdle) a.IdleSince = _now;
        SetAgentState(a, AgentState.Available);
    }

    private void Pause(AgentEntry a, string reason, TimeSpan duration)
    {
        SetAgentState(a, AgentState.Paused, reason: reason);
        if (duration > TimeSpan.Zero) Schedule(TimerKind.PauseEnd, _now + duration, agent: a);
    }

    /// <summary>An agent's phone stopped ringing for an offer that did not become their call.</summary>
    private void EndOffer(AgentEntry a, bool noAnswer, QueueSettings settings)
    {
        a.Offer = null;
        if (a.Removed || a.PendingLogout) LogOutNow(a);
        else if (a.PendingPause is { } pending)
        {
            a.PendingPause = null;
            Pause(a, pending, TimeSpan.Zero);
        }
        else if (noAnswer && settings.AutoPauseOnNoAnswer) Pause(a, NoAnswerPause, settings.AutoPauseFor);
        // Being rung without taking the call keeps the agent's place in the longest-idle order.
        else MakeAvailable(a, resetIdle: false);
    }

    /// <summary>A call (or callback attempt) the agent worked on ended: wrap-up, or what they asked for meanwhile.</summary>
    private void AfterWork(AgentEntry a, TimeSpan wrapUp, bool resetIdle)
    {
        if (a.Removed || a.PendingLogout) LogOutNow(a);
        else if (a.PendingPause is { } pending)
        {
            a.PendingPause = null;
            Pause(a, pending, TimeSpan.Zero);
        }
        else if (wrapUp > TimeSpan.Zero)
        {
            SetAgentState(a, AgentState.WrapUp);
            Schedule(TimerKind.WrapUpEnd, _now + wrapUp, agent: a);
        }
        else MakeAvailable(a, resetIdle);
    }

    private void LogOutNow(AgentEntry a)
    {
        a.PendingLogout = false;
        a.PendingPause = null;
        SetAgentState(a, AgentState.LoggedOut);
        a.Phone = null;
        a.PhoneBusy = false;
        if (a.Removed) Forget(a);
    }

    private void Forget(AgentEntry a)
    {
        _agents.Remove(a.Id);
        _agentOrder.Remove(a);
        foreach (var m in a.Memberships.ToArray()) RebuildMembers(m.Queue);
    }

    private void OnLoggedIn(string agentId, string phone)
    {
        var a = Agent(agentId, "login");
        if (a is null) return;
        if (a.Removed || string.IsNullOrEmpty(phone))
        {
            Fault($"login of {agentId} refused");
            return;
        }
        a.PendingLogout = false;
        if (a.State == AgentState.LoggedOut)
        {
            a.Phone = phone;
            a.PhoneBusy = false;
            MakeAvailable(a, resetIdle: true);
            return;
        }
        // Logging in again, perhaps from another phone: the binding moves; a call in progress is unaffected.
        a.Phone = phone;
        Emit(new AgentStateChanged(_now, a.Id, a.State, a.PauseReason, CurrentCall(a), phone));
    }

    private void OnLoggedOut(string agentId)
    {
        var a = Agent(agentId, "logout");
        if (a is null || a.State == AgentState.LoggedOut) return;
        if (a.State is AgentState.Ringing or AgentState.OnCall) a.PendingLogout = true;
        else LogOutNow(a);
    }

    private void OnPaused(string agentId, string reason)
    {
        var a = Agent(agentId, "pause");
        if (a is null) return;
        switch (a.State)
        {
            case AgentState.LoggedOut:
                Fault($"pause of {agentId}, who is logged out");
                return;
            case AgentState.Ringing or AgentState.OnCall:
                a.PendingPause = reason;
                return;
            default:
                Pause(a, reason, TimeSpan.Zero);
                return;
        }
    }

    private void OnResumed(string agentId)
    {
        var a = Agent(agentId, "resume");
        if (a is null) return;
        switch (a.State)
        {
            case AgentState.LoggedOut:
                Fault($"resume of {agentId}, who is logged out");
                return;
            case AgentState.Ringing or AgentState.OnCall:
                a.PendingPause = null;
                return;
            case AgentState.Paused:
                // Back from a pause counts as newly idle: a break must not put an agent first in line.
                MakeAvailable(a, resetIdle: true);
                return;
            case AgentState.WrapUp:
                MakeAvailable(a, resetIdle: true);
                return;
        }
    }

    private void OnPhoneBusy(string agentId, bool busy)
    {
        var a = Agent(agentId, "phone state");
        if (a is null || a.State == AgentState.LoggedOut || a.PhoneBusy == busy) return;
        bool wasFree = a.Free;
        a.PhoneBusy = busy;
        FreeChanged(a, wasFree);
        Emit(new AgentStateChanged(_now, a.Id, a.State, busy ? "phone-busy" : a.PauseReason, CurrentCall(a), a.Phone));
    }

    private void OnAgentConfigured(AgentSettings settings)
    {
        var problems = settings.Problems($"agent {settings.Id}").ToList();
        if (problems.Count > 0)
        {
            Fault(string.Join("; ", problems));
            return;
        }
        if (_agents.TryGetValue(settings.Id, out var a))
        {
            a.Settings = settings;
            foreach (var m in a.Memberships) MarkDirty(m.Queue); // new skills may fit waiting calls
            return;
        }
        a = new AgentEntry(settings, _agentIndex++) { Since = _now, IdleSince = _now };
        _agents.Add(settings.Id, a);
        _agentOrder.Add(a);
        foreach (var q in _queueOrder)
        {
            foreach (var member in q.Settings.Members)
            {
                if (member.Agent == settings.Id)
                {
                    RebuildMembers(q);
                    break;
                }
            }
        }
    }

    private void OnAgentRemoved(string agentId)
    {
        var a = Agent(agentId, "remove");
        if (a is null) return;
        a.Removed = true;
        if (a.State is AgentState.Ringing or AgentState.OnCall) a.PendingLogout = true;
        else if (a.State == AgentState.LoggedOut) Forget(a);
        else LogOutNow(a);
    }
}
