using BenchmarkDotNet.Attributes;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Benchmarks.ContactCentre;

/// <summary>
/// The ACD engine under load: 500 agents and 1,000 callers waiting. Each invocation is one cycle of three
/// inputs — a caller joins at the back, an agent's call ends (the engine picks the next caller and
/// offers them to the agent), the agent answers — so the mean is per input; the middle one is the
/// decision the target (&lt; 50 µs) is about.
/// </summary>
[MemoryDiagnoser]
public class AcdEngineBenchmarks
{
    private const int Agents = 500;
    private const int Waiting = 1000;
    private static readonly string[] Skills = ["tax", "housing", "social", "transport"];

    private AcdCore _core = null!;
    private readonly List<AcdOutput> _outputs = new(16);
    private readonly Queue<string> _connected = new();
    private string[] _ids = [];
    private IReadOnlyDictionary<string, int>?[] _needs = [];
    private DateTimeOffset _now;
    private int _next;

    [Params(QueueStrategy.LongestIdle, QueueStrategy.FewestCalls, QueueStrategy.RoundRobin, QueueStrategy.Linear,
        QueueStrategy.Random, QueueStrategy.WeightedRandom, QueueStrategy.RingAll, QueueStrategy.SkillsBased)]
    public QueueStrategy Strategy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _core = new AcdCore(seed: 42);
        _now = new DateTimeOffset(2031, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));
        // Ids recycle: a caller's id is reused long after they have left (1,500 are live at any time).
        _ids = Enumerable.Range(0, 8192).Select(i => $"call-{i}").ToArray();
        bool skills = Strategy == QueueStrategy.SkillsBased;
        _needs = Enumerable.Range(0, 8192).Select(i => skills
            ? (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { [Skills[i % 4]] = 1 + i % 3 } : null).ToArray();
        var members = new List<QueueMember>();
        for (int i = 0; i < Agents; i++)
        {
            // Every agent has two of the four skills, so every caller's need is met by half of them.
            var agentSkills = skills ? new Dictionary<string, int> { [Skills[i % 4]] = 3 + i % 8, [Skills[(i + 1) % 4]] = 3 + i % 5 } : [];
            Apply(new AgentConfigured(_now, new AgentSettings($"agent-{i}", $"Agent {i}", agentSkills)));
            members.Add(new QueueMember($"agent-{i}", 1 + i % 4));
        }
        Apply(new QueueConfigured(_now, new QueueSettings { Name = "12345", Strategy = Strategy, Members = members, WrapUp = TimeSpan.Zero }));
        for (int i = 0; i < Agents; i++) Apply(new AgentLoggedIn(_now, $"agent-{i}", $"{1000 + i}"));
        // Fill every agent with a call, then queue 1,000 more.
        for (int i = 0; i < Agents + Waiting; i++)
        {
            Join();
            AnswerOffers();
        }
        if (_core.CallsInQueues != Waiting || _connected.Count != Agents)
            throw new InvalidOperationException($"setup left {_core.CallsInQueues} waiting and {_connected.Count} connected");
    }

    private void Apply(AcdEvent e)
    {
        _outputs.Clear();
        _core.Apply(e, _outputs);
    }

    private void Join()
    {
        int i = _next++ & 8191;
        _now = _now.AddMilliseconds(300);
        Apply(new CallJoined(_now, _ids[i], "12345", "13800000000", 0, _needs[i]));
    }

    private void AnswerOffers()
    {
        foreach (var o in _outputs.ToArray())
        {
            if (o is not OfferCall offer) continue;
            var callId = offer.CallId;
            _outputs.Clear();
            _core.Apply(new OfferAnswered(_now, callId, offer.Agents[0].Agent), _outputs);
            _connected.Enqueue(callId);
        }
    }

    [Benchmark(OperationsPerInvoke = 3)]
    public void CallerJoins_AgentFreed_Answers()
    {
        Join();
        Apply(new CallCompleted(_now, _connected.Dequeue()));
        OfferCall? offer = null;
        foreach (var o in _outputs)
        {
            if (o is OfferCall oc) offer = oc;
        }
        Apply(new OfferAnswered(_now, offer!.CallId, offer.Agents[0].Agent));
        _connected.Enqueue(offer.CallId);
    }
}
