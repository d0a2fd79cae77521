using BenchmarkDotNet.Attributes;
using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Benchmarks.ContactCentre;

/// <summary>
/// The other kind of decision: nobody waits and a caller arrives while 250 of 500 agents are free, so
/// the strategy chooses among them (a scan of the members). One cycle = a caller joins and is offered,
/// the agent answers, the oldest call ends; the mean is per input.
/// </summary>
[MemoryDiagnoser]
public class AcdArrivalBenchmarks
{
    private const int Agents = 500;
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
        _core = new AcdCore(seed: 42);
        _now = new DateTimeOffset(2031, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));
        _ids = Enumerable.Range(0, 4096).Select(i => $"call-{i}").ToArray();
        bool skills = Strategy == QueueStrategy.SkillsBased;
        _needs = Enumerable.Range(0, 4096).Select(i => skills
            ? (IReadOnlyDictionary<string, int>)new Dictionary<string, int> { [Skills[i % 4]] = 1 + i % 3 } : null).ToArray();
        var members = new List<QueueMember>();
        for (int i = 0; i < Agents; i++)
        {
            var agentSkills = skills ? new Dictionary<string, int> { [Skills[i % 4]] = 3 + i % 8, [Skills[(i + 1) % 4]] = 3 + i % 5 } : [];
            Apply(new AgentConfigured(_now, new AgentSettings($"agent-{i}", $"Agent {i}", agentSkills)));
            members.Add(new QueueMember($"agent-{i}", 1 + i % 4));
        }
        Apply(new QueueConfigured(_now, new QueueSettings { Name = "12345", Strategy = Strategy, Members = members, WrapUp = TimeSpan.Zero }));
        for (int i = 0; i < Agents; i++) Apply(new AgentLoggedIn(_now, $"agent-{i}", $"{1000 + i}"));
        for (int i = 0; i < Agents / 2; i++) JoinAndAnswer();
    }

    private void Apply(AcdEvent e)
    {
        _outputs.Clear();
        _core.Apply(e, _outputs);
    }

    private void JoinAndAnswer()
    {
        int i = _next++ & 4095;
        _now = _now.AddMilliseconds(300);
        Apply(new CallJoined(_now, _ids[i], "12345", "13800000000", 0, _needs[i]));
        OfferCall? offer = null;
        foreach (var o in _outputs)
        {
            if (o is OfferCall oc) offer = oc;
        }
        Apply(new OfferAnswered(_now, offer!.CallId, offer.Agents[0].Agent));
        _connected.Enqueue(offer.CallId);
    }

    [Benchmark(OperationsPerInvoke = 3)]
    public void CallerJoinsAmongFreeAgents_Answers_OldestEnds()
    {
        JoinAndAnswer();
        Apply(new CallCompleted(_now, _connected.Dequeue()));
    }
}
