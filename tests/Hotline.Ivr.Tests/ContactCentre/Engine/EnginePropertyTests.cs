using CsCheck;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.Tests.ContactCentre.Engine;

/// <summary>
/// Random contact-centre days: callers join, hang up, ask for callbacks; agents log in and out, pause,
/// answer or let phones ring; time passes. After every input the three promises of the design hold.
/// </summary>
public sealed class EnginePropertyTests
{
    /// <summary>A generated day: engine seed, strategy, agents' skills, two queues' members, then operations.</summary>
    private sealed record Day(ulong Seed, QueueStrategy Strategy, int[] AgentSkills, int[] Members, (int Kind, int X, int Y)[] Ops)
    {
        public override string ToString() =>
            $"seed {Seed}, {Strategy}, skills [{string.Join(",", AgentSkills)}], members [{string.Join(",", Members)}], ops [{string.Join(" ", Ops.Select(o => $"{o.Kind}:{o.X}:{o.Y}"))}]";
    }

    private static readonly Gen<Day> Days =
        Gen.Select(Gen.ULong, Gen.Enum<QueueStrategy>(), Gen.Int[0, 99].Array[1, 6], Gen.Int[1, 63].Array[2],
                Gen.Select(Gen.Int[0, 14], Gen.Int[0, 1000], Gen.Int[0, 1000]).Array[10, 250])
            .Select((seed, strategy, skills, members, ops) => new Day(seed, strategy, skills, members, ops));

    /// <summary>Plays a day, checking as it goes; returns the inputs and every output, for replay.</summary>
    private static (List<AcdEvent> Inputs, List<string> Outputs) Play(Day day)
    {
        var core = new AcdCore(day.Seed);
        var world = new World();
        var time = EngineKit.Start;
        var inputs = new List<AcdEvent>();
        var outputs = new List<string>();

        void Apply(AcdEvent e)
        {
            inputs.Add(e);
            world.BeforeInput(e);
            var result = core.Apply(e);
            foreach (var o in result)
            {
                outputs.Add(o.ToString());
                world.Observe(o);
            }
            var broken = core.CheckInvariants().Concat(world.Problems()).ToList();
            if (broken.Count > 0) throw new Exception($"after {e}: {string.Join("; ", broken)}");
        }

        for (int i = 0; i < day.AgentSkills.Length; i++)
        {
            int s = day.AgentSkills[i];
            var skills = new Dictionary<string, int>();
            if (s % 3 == 1) skills["tax"] = 1 + s / 10;
            if (s % 4 == 2) skills["housing"] = 1 + s / 10;
            Apply(new AgentConfigured(time, new AgentSettings($"a{i}", $"Agent {i}", skills)));
        }
        for (int q = 0; q < 2; q++)
        {
            var members = Enumerable.Range(0, day.AgentSkills.Length).Where(i => (day.Members[q] >> i & 1) != 0)
                .Select(i => new QueueMember($"a{i}", 1 + i % 3)).ToList();
            Apply(new QueueConfigured(time, new QueueSettings
            {
                Name = $"q{q}", Strategy = day.Strategy, Members = members, WrapUp = TimeSpan.FromSeconds(5 * q),
                MaxWait = TimeSpan.FromSeconds(90), AnnounceEvery = TimeSpan.FromSeconds(20), CallbackEnabled = true,
                CallbackRetryDelay = TimeSpan.FromSeconds(30), AutoPauseFor = TimeSpan.FromSeconds(40), Weight = q,
            }));
        }

        int calls = 0;
        foreach (var (kind, x, y) in day.Ops)
        {
            string agent = $"a{x % day.AgentSkills.Length}";
            switch (kind)
            {
                case 0 or 1 or 2:
                    var skills = (y % 4) switch
                    {
                        1 => new Dictionary<string, int> { ["tax"] = 1 + y % 5 },
                        2 => new Dictionary<string, int> { ["housing"] = 1 + y % 3 },
                        _ => null,
                    };
                    Apply(new CallJoined(time, $"c{calls++}", $"q{x % 2}", $"1380000{calls:D4}", (y / 4) % 3, skills));
                    break;
                case 3 when world.Pick(world.Active, x) is { } c:
                    Apply(new CallHungUp(time, c));
                    break;
                case 4 when world.Pick(world.Offers.Keys, x) is { } c:
                    var offer = world.Offers[c];
                    Apply(new OfferAnswered(time, c, offer.Agents[y % offer.Agents.Count].Agent));
                    break;
                case 5 when world.Pick(world.Offers.Keys, x) is { } c:
                    Apply(new OfferFailed(time, c, (OfferFailure)(y % 3)));
                    break;
                case 6 when world.Pick(world.Connected.Keys, x) is { } c:
                    if (world.Connected[c] && y % 2 == 0) Apply(new CallbackUnreached(time, c));
                    else if (world.Connected[c]) Apply(new CallbackReached(time, c));
                    else Apply(new CallCompleted(time, c));
                    break;
                case 7:
                    Apply(new AgentLoggedIn(time, agent, $"10{y % 10:D2}"));
                    break;
                case 8:
                    Apply(y % 3 == 0 ? new AgentLoggedOut(time, agent) : new AgentPaused(time, agent, "break"));
                    break;
                case 9:
                    Apply(new AgentResumed(time, agent));
                    break;
                case 10 or 11:
                    time += TimeSpan.FromSeconds(x % 45);
                    Apply(new TimerTick(time));
                    break;
                case 12 when world.Pick(world.Waiting.Keys, x) is { } c:
                    Apply(new CallbackRequested(time, c, world.Waiting[c].Caller));
                    break;
                case 13:
                    Apply(new AgentPhoneBusy(time, agent, y % 2 == 0));
                    break;
                case 14 when world.Pick(world.Offers.Keys, x) is { } c && world.Offers[c].Agents.Count > 1:
                    Apply(new OfferNarrowed(time, c, [world.Offers[c].Agents[y % world.Offers[c].Agents.Count].Agent]));
                    break;
            }
        }
        return (inputs, outputs);
    }

    [Fact]
    public void No_caller_is_overtaken_no_agent_stays_reserved_without_a_ringing_call_and_the_log_replays_to_the_same_decisions()
    {
        Days.Sample(day =>
        {
            var (inputs, outputs) = Play(day);
            var replay = new AcdCore(day.Seed);
            var again = inputs.SelectMany(e => replay.Apply(e)).Select(o => o.ToString()).ToList();
            Assert.Equal(outputs, again);
        }, iter: 400, print: d => d.ToString());
    }

    [Fact]
    public void Every_caller_offered_is_answered_abandoned_overflowed_or_still_queued()
    {
        Days.Sample(day =>
        {
            var (inputs, _) = Play(day);
            var core = new AcdCore(day.Seed);
            foreach (var e in inputs) core.Apply(e);
            foreach (var q in core.Snapshot(core.Now).Queues)
            {
                var s = q.Statistics;
                Assert.Equal(s.Offered, s.Answered + s.Abandoned + s.Overflowed + q.InQueue);
            }
        }, iter: 200, print: d => d.ToString());
    }

    /// <summary>What the call side would know, built only from the engine's outputs and the inputs we sent.</summary>
    private sealed class World
    {
        private long _order;
        private readonly Dictionary<string, (AgentState State, string? CallId)> _agents = [];
        private readonly Dictionary<string, HashSet<string>> _failedBy = [];
        private readonly Dictionary<string, Dictionary<string, int>> _skills = [];
        private readonly Dictionary<string, HashSet<string>> _membersOf = [];
        private readonly Dictionary<string, IReadOnlyDictionary<string, int>?> _needs = [];
        private readonly List<string> _problems = [];

        public Dictionary<string, (string Queue, int Priority, long Order, string Caller)> Waiting { get; } = [];
        public Dictionary<string, OfferCall> Offers { get; } = [];
        /// <summary>Connected calls; true for a callback whose citizen is not reached yet.</summary>
        public Dictionary<string, bool> Connected { get; } = [];
        private readonly HashSet<string> _known = [];
        private readonly HashSet<string> _callbacks = [];

        public IEnumerable<string> Active => _known;

        public string? Pick(IEnumerable<string> from, int x)
        {
            var list = from.Order(StringComparer.Ordinal).ToList();
            return list.Count == 0 ? null : list[x % list.Count];
        }

        public void BeforeInput(AcdEvent e)
        {
            switch (e)
            {
                case AgentConfigured c:
                    _skills[c.Settings.Id] = c.Settings.Skills.ToDictionary();
                    break;
                case QueueConfigured q:
                    _membersOf[q.Settings.Name] = q.Settings.Members.Select(m => m.Agent).ToHashSet();
                    break;
                case CallJoined j:
                    _needs[j.CallId] = j.Skills;
                    break;
                case OfferFailed f:
                    Withdraw(f.CallId);
                    break;
                case OfferNarrowed n when Offers.TryGetValue(n.CallId, out var narrowed):
                    Offers[n.CallId] = narrowed with { Agents = narrowed.Agents.Where(r => n.Ringing.Contains(r.Agent)).ToList() };
                    break;
                case OfferAnswered a when Offers.Remove(a.CallId):
                    Connected[a.CallId] = _callbacks.Contains(a.CallId);
                    break;
                case CallbackReached r:
                    Connected[r.CallId] = false;
                    break;
                case CallbackUnreached u:
                    Connected.Remove(u.CallId); // waits for its retry, or is listed as failed
                    break;
                case CallCompleted c:
                    Connected.Remove(c.CallId);
                    _known.Remove(c.CallId);
                    break;
                case CallHungUp h:
                    if (Connected.Remove(h.CallId)) _known.Remove(h.CallId);
                    if (!_callbacks.Contains(h.CallId)) Offers.Remove(h.CallId);
                    break;
            }
        }

        /// <summary>An offer that ended without an answer: its agents failed the caller, who waits again.</summary>
        private void Withdraw(string call)
        {
            if (!Offers.Remove(call, out var offer)) return;
            var failed = _failedBy.TryGetValue(call, out var set) ? set : _failedBy[call] = [];
            foreach (var r in offer.Agents) failed.Add(r.Agent);
            Waiting[call] = (offer.Queue, PriorityOf(call), OrderOf(call), "");
        }

        private readonly Dictionary<string, (int Priority, long Order)> _joined = [];
        private int PriorityOf(string call) => _joined[call].Priority;
        private long OrderOf(string call) => _joined[call].Order;

        public void Observe(AcdOutput o)
        {
            switch (o)
            {
                case CallQueued q when q.Callback && _joined.ContainsKey(q.CallId):
                    _callbacks.Add(q.CallId);
                    break;
                case CallQueued q:
                    _joined[q.CallId] = (q.Priority, ++_order);
                    Waiting[q.CallId] = (q.Queue, q.Priority, _order, q.Caller);
                    _known.Add(q.CallId);
                    break;
                case CallLeftQueue l:
                    Waiting.Remove(l.CallId);
                    if (l.Reason != LeaveReason.Answered) _known.Remove(l.CallId);
                    break;
                case OverflowCall ov:
                    Waiting.Remove(ov.CallId);
                    _known.Remove(ov.CallId);
                    break;
                case OfferCall offer:
                    CheckNobodyOvertaken(offer);
                    Waiting.Remove(offer.CallId);
                    Offers[offer.CallId] = offer;
                    break;
                case OfferWithdrawn w:
                    Withdraw(w.CallId);
                    break;
                case AgentStateChanged s:
                    _agents[s.Agent] = (s.State, s.CallId);
                    break;
            }
        }

        /// <summary>
        /// Each agent offered a call could not have been given to a caller ahead of it in the same queue:
        /// one of higher priority, or of equal priority who joined earlier, who has the skills-wise fit
        /// and whom that agent has not already failed.
        /// </summary>
        private void CheckNobodyOvertaken(OfferCall offer)
        {
            var (_, priority, order, _) = Waiting.TryGetValue(offer.CallId, out var w) ? w : (offer.Queue, PriorityOf(offer.CallId), OrderOf(offer.CallId), "");
            foreach (var ring in offer.Agents)
            {
                foreach (var (other, y) in Waiting)
                {
                    if (other == offer.CallId || y.Queue != offer.Queue) continue;
                    bool ahead = y.Priority > priority || (y.Priority == priority && y.Order < order);
                    if (!ahead || !_membersOf[y.Queue].Contains(ring.Agent)) continue;
                    if (_failedBy.TryGetValue(other, out var failed) && failed.Contains(ring.Agent)) continue;
                    if (!Fits(ring.Agent, _needs.GetValueOrDefault(other))) continue;
                    _problems.Add($"{offer.CallId} got {ring.Agent} ahead of {other}");
                }
            }
        }

        private bool Fits(string agent, IReadOnlyDictionary<string, int>? needs) =>
            needs is null || needs.All(n => _skills[agent].TryGetValue(n.Key, out var level) && level >= n.Value);

        public IEnumerable<string> Problems()
        {
            foreach (var p in _problems) yield return p;
            _problems.Clear();
            foreach (var (agent, (state, call)) in _agents)
            {
                if (state == AgentState.Ringing && (call is null || !Offers.TryGetValue(call, out var offer) || offer.Agents.All(r => r.Agent != agent)))
                    yield return $"{agent} is reserved (ringing) for {call}, which is not ringing them";
            }
            foreach (var offer in Offers.Values)
            {
                foreach (var r in offer.Agents)
                {
                    if (_agents.GetValueOrDefault(r.Agent) != (AgentState.Ringing, offer.CallId))
                        yield return $"{offer.CallId} rings {r.Agent}, whom the engine shows as {_agents.GetValueOrDefault(r.Agent)}";
                }
            }
        }
    }
}
