namespace Hotline.Ivr.ContactCentre.Engine;

public sealed partial class AcdCore
{
    private void MarkDirty(QueueEntry q)
    {
        if (q.Dirty) return;
        q.Dirty = true;
        _dirty.Add(q);
    }

    /// <summary>
    /// Makes offers until no queue touched by the last input has a waiting caller and a free agent able to
    /// take them. One offer at a time, best queue first (heavier queue, then the caller first in line across
    /// queues), so an agent in several queues goes to the caller who has the stronger claim.
    /// </summary>
    private void DispatchDirty()
    {
        while (_dirty.Count > 0)
        {
            if (_dirty.Count > 1) _dirty.Sort(QueueClaim);
            bool offered = false;
            for (int i = 0; i < _dirty.Count; i++)
            {
                if (TryOfferOne(_dirty[i]))
                {
                    offered = true;
                    break;
                }
                _dirty[i].Dirty = false;
                _dirty.RemoveAt(i--);
            }
            if (!offered) break;
        }
    }

    private static readonly Comparison<QueueEntry> QueueClaim = (x, y) =>
    {
        int c = y.Settings.Weight.CompareTo(x.Settings.Weight);
        if (c != 0) return c;
        var hx = Head(x);
        var hy = Head(y);
        if (hx is null || hy is null) return hx is null ? (hy is null ? 0 : 1) : -1;
        return CallOrder.Instance.Compare(hx, hy);
    };

    private static CallEntry? Head(QueueEntry q)
    {
        CallEntry? best = null;
        foreach (var lane in q.Lanes)
        {
            if (lane.Calls.Count == 0) continue;
            var head = lane.Calls.Min!;
            if (best is null || CallOrder.Instance.Compare(head, best) < 0) best = head;
        }
        return best;
    }

    private bool TryOfferOne(QueueEntry q)
    {
        if (q.FreeMembers == 0 || q.Removed) return false;
        var lanes = _laneScratch;
        lanes.Clear();
        foreach (var lane in q.Lanes)
        {
            if (lane.Calls.Count > 0) lanes.Add(lane);
        }
        if (lanes.Count > 1) lanes.Sort(static (x, y) => CallOrder.Instance.Compare(x.Calls.Min, y.Calls.Min));
        foreach (var lane in lanes)
        {
            // Everyone in a lane needs the same skills, so if its first caller can't be served, nobody behind can.
            if (TryOffer(q, lane, lane.Calls.Min!)) return true;
        }
        return false;
    }

    private bool TryOffer(QueueEntry q, Lane lane, CallEntry call)
    {
        if (q.Settings.Strategy == QueueStrategy.RingAll)
        {
            var all = _agentScratch;
            all.Clear();
            foreach (var m in q.Members)
            {
                if (m.Agent.Free && lane.Accepts(m.Agent)) all.Add(m.Agent);
            }
            if (all.Count == 0) return false;
            MakeOffer(call, [.. all]);
            return true;
        }
        bool triedSome = call.Tried is { Count: > 0 };
        var chosen = Pick(q, lane, call, avoidTried: triedSome);
        if (chosen is null && triedSome)
        {
            // Everyone free has already failed this caller once: start another round with them.
            chosen = Pick(q, lane, call, avoidTried: false);
            if (chosen is not null) call.Tried!.Clear();
        }
        if (chosen is null) return false;
        if (q.Settings.Strategy == QueueStrategy.RoundRobin) q.RoundRobinNext = (chosen.Position + 1) % q.Members.Count;
        MakeOffer(call, [chosen.Agent]);
        return true;
    }

    private static bool Eligible(AgentEntry a, Lane lane, CallEntry call, bool avoidTried) =>
        a.Free && lane.Accepts(a) && !(avoidTried && call.Tried!.Contains(a));

    /// <summary>The member the queue's strategy chooses among those free and able to take the call.</summary>
    private Member? Pick(QueueEntry q, Lane lane, CallEntry call, bool avoidTried)
    {
        var members = q.Members;
        int n = members.Count;
        Member? best = null;
        switch (q.Settings.Strategy)
        {
            case QueueStrategy.Linear:
                foreach (var m in members)
                {
                    if (Eligible(m.Agent, lane, call, avoidTried)) return m;
                }
                return null;

            case QueueStrategy.RoundRobin:
                for (int k = 0; k < n; k++)
                {
                    var m = members[(q.RoundRobinNext + k) % n];
                    if (Eligible(m.Agent, lane, call, avoidTried)) return m;
                }
                return null;

            case QueueStrategy.LongestIdle:
                foreach (var m in members)
                {
                    if (Eligible(m.Agent, lane, call, avoidTried) && (best is null || m.Agent.IdleSince.UtcTicks < best.Agent.IdleSince.UtcTicks)) best = m;
                }
                return best;

            case QueueStrategy.FewestCalls:
                foreach (var m in members)
                {
                    if (!Eligible(m.Agent, lane, call, avoidTried)) continue;
                    if (best is null || m.Answered < best.Answered
                        || (m.Answered == best.Answered && m.Agent.IdleSince.UtcTicks < best.Agent.IdleSince.UtcTicks)) best = m;
                }
                return best;

            case QueueStrategy.SkillsBased:
                int bestScore = -1;
                foreach (var m in members)
                {
                    if (!Eligible(m.Agent, lane, call, avoidTried)) continue;
                    int score = lane.Score(m.Agent);
                    if (score > bestScore || (score == bestScore && m.Agent.IdleSince.UtcTicks < best!.Agent.IdleSince.UtcTicks))
                    {
                        best = m;
                        bestScore = score;
                    }
                }
                return best;

            case QueueStrategy.Random:
            {
                int count = 0;
                foreach (var m in members)
                {
                    if (Eligible(m.Agent, lane, call, avoidTried)) count++;
                }
                if (count == 0) return null;
                int r = _random.Next(count);
                foreach (var m in members)
                {
                    if (Eligible(m.Agent, lane, call, avoidTried) && r-- == 0) return m;
                }
                return null;
            }

            case QueueStrategy.WeightedRandom:
            {
                long total = 0;
                foreach (var m in members)
                {
                    if (Eligible(m.Agent, lane, call, avoidTried)) total += m.Weight;
                }
                if (total == 0) return null;
                long r = _random.Next((int)Math.Min(total, int.MaxValue));
                foreach (var m in members)
                {
                    if (!Eligible(m.Agent, lane, call, avoidTried)) continue;
                    r -= m.Weight;
                    if (r < 0) return m;
                }
                return null;
            }

            default:
                return null;
        }
    }

    private void MakeOffer(CallEntry call, AgentEntry[] agents)
    {
        var q = call.Queue;
        call.Lane.Calls.Remove(call);
        call.Phase = CallPhase.Offering;
        var offer = new Offer(++_offerIds, call, agents);
        call.Offer = offer;
        var rings = new AgentRing[agents.Length];
        for (int i = 0; i < agents.Length; i++)
        {
            var a = agents[i];
            a.Offer = offer;
            a.Counters.Offered++;
            SetAgentState(a, AgentState.Ringing, call.CallId);
            rings[i] = new AgentRing(a.Id, a.Phone!);
        }
        Schedule(TimerKind.OfferGuard, _now + q.Settings.RingTimeout + OfferGuard, offer: offer);
        Emit(new OfferCall(_now, call.CallId, q.Name, rings, q.Settings.RingTimeout, call.CallbackNumber));
    }
}
