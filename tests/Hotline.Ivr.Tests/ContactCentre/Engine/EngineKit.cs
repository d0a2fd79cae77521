using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Engine;

/// <summary>Drives an <see cref="AcdCore"/> on a hand-moved clock and keeps everything it said.</summary>
internal sealed class EngineKit
{
    public static readonly DateTimeOffset Start = new(2031, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));

    public AcdCore Core { get; }
    public DateTimeOffset Now { get; private set; } = Start;
    public List<AcdOutput> All { get; } = [];
    public List<AcdOutput> Last { get; private set; } = [];
    public List<AcdEvent> Log { get; } = [];

    public EngineKit(ulong seed = 7) => Core = new AcdCore(seed);

    public List<AcdOutput> Apply(AcdEvent e)
    {
        Log.Add(e);
        Last = Core.Apply(e);
        All.AddRange(Last);
        var broken = Core.CheckInvariants();
        Assert.True(broken.Count == 0, string.Join("\n", broken));
        return Last;
    }

    public void Advance(double seconds)
    {
        Now += TimeSpan.FromSeconds(seconds);
        Apply(new TimerTick(Now));
    }

    public EngineKit Queue(string name, QueueStrategy strategy, Func<QueueSettings, QueueSettings>? tweak = null, params string[] members)
    {
        var s = new QueueSettings { Name = name, Strategy = strategy, Members = members.Select(m => new QueueMember(m)).ToList(), WrapUp = TimeSpan.Zero };
        Apply(new QueueConfigured(Now, tweak is null ? s : tweak(s)));
        return this;
    }

    public EngineKit Agent(string id, params (string Skill, int Level)[] skills)
    {
        Apply(new AgentConfigured(Now, new AgentSettings(id, $"Agent {id}", skills.ToDictionary(s => s.Skill, s => s.Level))));
        return this;
    }

    /// <summary>Configures and logs in agents on phones named after them, one second apart (so longest-idle has an order).</summary>
    public EngineKit LoggedIn(params string[] ids)
    {
        foreach (var id in ids)
        {
            if (!Core.HasAgent(id)) Agent(id);
            Apply(new AgentLoggedIn(Now, id, "p" + id));
            Advance(1);
        }
        return this;
    }

    public List<AcdOutput> Join(string call, string queue = "q", int priority = 0, params (string Skill, int Level)[] skills) =>
        Apply(new CallJoined(Now, call, queue, "138" + call, priority, skills.Length == 0 ? null : skills.ToDictionary(s => s.Skill, s => s.Level)));

    public List<AcdOutput> Answer(string call, string agent) => Apply(new OfferAnswered(Now, call, agent));
    public List<AcdOutput> Fail(string call, OfferFailure reason = OfferFailure.NoAnswer) => Apply(new OfferFailed(Now, call, reason));
    public List<AcdOutput> Complete(string call) => Apply(new CallCompleted(Now, call));
    public List<AcdOutput> HangUp(string call) => Apply(new CallHungUp(Now, call));

    /// <summary>Answers the call's open offer by its (first) agent and returns that agent.</summary>
    public string AnswerOffer(string call)
    {
        var agent = OpenOffer(call).Agents[0].Agent;
        Answer(call, agent);
        return agent;
    }

    /// <summary>The last offer made for the call (the test asserts it is still open by acting on it).</summary>
    public OfferCall OpenOffer(string call) =>
        All.OfType<OfferCall>().LastOrDefault(o => o.CallId == call) ?? throw new Xunit.Sdk.XunitException($"no offer for {call}");

    public IEnumerable<OfferCall> Offers(IEnumerable<AcdOutput>? from = null) => (from ?? Last).OfType<OfferCall>();

    public AgentSnapshot AgentState(string id) => Core.AgentSnapshot(id)!;
    public QueueSnapshot QueueState(string name = "q") => Core.QueueSnapshot(name, Now)!;

    public static RouteTarget Voicemail => new(RouteTargetKind.Voicemail, "general");
}
