namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    private void OnQueueConfigured(QueueSettings settings)
    {
        var problems = settings.Problems($"queue {settings.Name}").ToList();
        if (problems.Count > 0)
        {
            Fault(string.Join("; ", problems));
            return;
        }
        if (!_queues.TryGetValue(settings.Name, out var q))
        {
            q = new QueueEntry(settings);
            _queues.Add(settings.Name, q);
            _queueOrder.Add(q);
        }
        q.Settings = settings;
        RebuildMembers(q);
    }

    /// <summary>Members in the configured order; agents not configured (yet) are left out until they are.</summary>
    private void RebuildMembers(QueueEntry q)
    {
        foreach (var m in q.Members) m.Agent.Memberships.Remove(m);
        q.Members.Clear();
        q.FreeMembers = 0;
        if (q.Removed) return;
        foreach (var configured in q.Settings.Members)
        {
            if (!_agents.TryGetValue(configured.Agent, out var a) || a.Removed) continue;
            var m = new Member(q, a, configured.Weight, q.Members.Count) { Answered = q.AnsweredBy.GetValueOrDefault(a.Id) };
            q.Members.Add(m);
            a.Memberships.Add(m);
            if (a.Free) q.FreeMembers++;
        }
        q.RoundRobinNext = q.Members.Count == 0 ? 0 : q.RoundRobinNext % q.Members.Count;
        MarkDirty(q);
    }

    private void OnQueueRemoved(string name)
    {
        if (!_queues.Remove(name, out var q))
        {
            Fault($"remove of unknown queue {name}");
            return;
        }
        _queueOrder.Remove(q);
        q.Removed = true;
        RebuildMembers(q);
        foreach (var call in q.Calls.ToArray())
        {
            // A ringing call finishes its offer; if that fails it overflows then (ReturnToQueue).
            if (call.Phase is CallPhase.Waiting or CallPhase.RetryWait) Overflow(call, OverflowReason.QueueRemoved);
        }
    }
}
