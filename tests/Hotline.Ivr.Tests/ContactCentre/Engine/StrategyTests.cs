using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.Tests.ContactCentre.Engine;

public sealed class StrategyTests
{
    /// <summary>Runs <paramref name="calls"/> calls one after another, each answered and completed; returns who took each.</summary>
    private static List<string> TakeInTurn(EngineKit kit, int calls, double talkSeconds = 5)
    {
        var takers = new List<string>();
        for (int i = 0; i < calls; i++)
        {
            kit.Join($"c{i}");
            var agent = kit.AnswerOffer($"c{i}");
            takers.Add(agent);
            kit.Advance(talkSeconds);
            kit.Complete($"c{i}");
            kit.Advance(1);
        }
        return takers;
    }

    [Fact]
    public void Longest_idle_offers_the_agent_free_the_longest_and_sends_them_to_the_back_after_a_call()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, null, "a", "b", "c").LoggedIn("b", "c", "a");
        Assert.Equal(["b", "c", "a", "b", "c", "a"], TakeInTurn(kit, 6));
    }

    [Fact]
    public void Longest_idle_keeps_an_agent_first_in_line_when_a_caller_hangs_up_while_their_phone_rings()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, null, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        Assert.Equal("a", kit.OpenOffer("c1").Agents[0].Agent);
        kit.HangUp("c1");
        kit.Join("c2");
        Assert.Equal("a", kit.OpenOffer("c2").Agents[0].Agent);
    }

    [Fact]
    public void Fewest_calls_evens_out_answers_with_ties_to_the_longest_idle()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.FewestCalls, null, "a", "b", "c").LoggedIn("a", "b");
        var first = TakeInTurn(kit, 4);
        Assert.Equal(["a", "b", "a", "b"], first);
        kit.LoggedIn("c"); // joins late with no answers: takes the next two before the others
        Assert.Equal(["c", "c", "a"], TakeInTurn(kit, 3));
    }

    [Fact]
    public void Round_robin_remembers_where_it_left_off_and_skips_busy_members()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.RoundRobin, null, "a", "b", "c", "d").LoggedIn("a", "b", "c", "d");
        Assert.Equal(["a", "b", "c", "d", "a"], TakeInTurn(kit, 5));
        kit.Join("x1");
        Assert.Equal("b", kit.AnswerOffer("x1"));  // b stays on the call
        kit.Join("x2");
        Assert.Equal("c", kit.AnswerOffer("x2"));
        kit.Apply(new AgentPaused(kit.Now, "d", "lunch"));
        kit.Join("x3");
        Assert.Equal("a", kit.AnswerOffer("x3"));   // d paused, a next in the ring
    }

    [Fact]
    public void Linear_always_offers_the_first_free_member_in_order()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b", "c").LoggedIn("c", "b", "a");
        Assert.Equal(["a", "a", "a"], TakeInTurn(kit, 3));
        kit.Join("x1");
        Assert.Equal("a", kit.AnswerOffer("x1"));
        kit.Join("x2");
        Assert.Equal("b", kit.AnswerOffer("x2"));
    }

    [Fact]
    public void Random_spreads_calls_over_all_free_agents_and_repeats_exactly_with_the_same_seed()
    {
        List<string> Run(ulong seed)
        {
            var kit = new EngineKit(seed).Queue("q", QueueStrategy.Random, null, "a", "b", "c", "d").LoggedIn("a", "b", "c", "d");
            return TakeInTurn(kit, 2000, talkSeconds: 1);
        }
        var takers = Run(11);
        Assert.Equal(takers, Run(11));
        Assert.NotEqual(takers, Run(12));
        foreach (var agent in new[] { "a", "b", "c", "d" })
        {
            // 500 expected each; 5 standard deviations (≈ 97) either side.
            Assert.InRange(takers.Count(t => t == agent), 400, 600);
        }
    }

    [Fact]
    public void Weighted_random_shares_calls_in_proportion_to_weight()
    {
        var kit = new EngineKit(3).Queue("q", QueueStrategy.WeightedRandom,
            s => s with { Members = [new QueueMember("a", 1), new QueueMember("b", 3)] }).LoggedIn("a", "b");
        var takers = TakeInTurn(kit, 2000, talkSeconds: 1);
        // b should take 75% (1500); σ ≈ 19, so ±100 is > 5σ.
        Assert.InRange(takers.Count(t => t == "b"), 1400, 1600);
    }

    [Fact]
    public void Ring_all_rings_every_free_agent_and_the_first_answer_frees_the_others()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.RingAll, null, "a", "b", "c").LoggedIn("a", "b", "c");
        kit.Apply(new AgentPaused(kit.Now, "c", "meeting"));
        kit.Join("c1");
        var offer = Assert.Single(kit.Offers());
        Assert.Equal(["a", "b"], offer.Agents.Select(r => r.Agent));
        Assert.Equal(["pa", "pb"], offer.Agents.Select(r => r.Phone));
        kit.Answer("c1", "b");
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
        Assert.Equal(AgentState.OnCall, kit.AgentState("b").State);
        kit.Join("c2");
        Assert.Equal(["a"], kit.OpenOffer("c2").Agents.Select(r => r.Agent));
    }

    [Fact]
    public void A_ring_all_offer_narrowed_to_the_phones_actually_rung_frees_the_others_at_once()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.RingAll, null, "a", "b", "c").LoggedIn("a", "b", "c");
        kit.Join("c1");
        kit.Apply(new OfferNarrowed(kit.Now, "c1", ["b"]));
        Assert.Equal([AgentState.Available, AgentState.Ringing, AgentState.Available], new[] { "a", "b", "c" }.Select(a => kit.AgentState(a).State));
        kit.Join("c2");
        Assert.Equal(["a", "c"], kit.OpenOffer("c2").Agents.Select(r => r.Agent));
        kit.Fail("c1");
        // No blame in ring-all: b is not paused, and rings again for c1 at once.
        Assert.Equal(["b"], kit.OpenOffer("c1").Agents.Select(r => r.Agent));
        Assert.Equal(AgentState.Ringing, kit.AgentState("b").State);
    }

    [Fact]
    public void Ring_all_does_not_auto_pause_anyone_when_nobody_answers()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.RingAll, null, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        kit.Fail("c1");
        Assert.Equal(AgentState.Ringing, kit.AgentState("a").State); // rung again at once, both of them
        Assert.Equal(2, kit.OpenOffer("c1").Agents.Count);
    }

    [Fact]
    public void Skills_based_offers_the_best_covering_agent_and_never_one_lacking_a_skill()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.SkillsBased, null, "novice", "expert", "other");
        kit.Agent("novice", ("tax", 3)).Agent("expert", ("tax", 9), ("english", 2)).Agent("other", ("housing", 10));
        kit.LoggedIn("other", "novice", "expert");
        kit.Join("c1", skills: ("tax", 2));
        Assert.Equal("expert", kit.AnswerOffer("c1"));
        kit.Join("c2", skills: ("tax", 2));
        Assert.Equal("novice", kit.AnswerOffer("c2"));
        kit.Join("c3", skills: ("tax", 2));
        Assert.Empty(kit.Offers());          // "other" is free but has no tax skill
        kit.Join("c4", skills: ("housing", 5));
        Assert.Equal("other", kit.AnswerOffer("c4")); // a later caller with other needs is not held up
        kit.Complete("c1");
        Assert.Equal("expert", kit.OpenOffer("c3").Agents[0].Agent);
    }

    [Fact]
    public void Skills_based_respects_the_minimum_level_and_ties_go_to_the_longest_idle()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.SkillsBased, null, "a", "b", "c");
        kit.Agent("a", ("tax", 4)).Agent("b", ("tax", 6)).Agent("c", ("tax", 6));
        kit.LoggedIn("a", "c", "b");
        kit.Join("c1", skills: ("tax", 5));
        Assert.Equal("c", kit.AnswerOffer("c1"));
        kit.Join("c2", skills: ("tax", 5));
        Assert.Equal("b", kit.AnswerOffer("c2"));
        kit.Join("c3", skills: ("tax", 5));
        Assert.Empty(kit.Offers());
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
    }

    [Fact]
    public void Required_skills_limit_every_strategy_not_only_skills_based()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b");
        kit.Agent("a").Agent("b", ("cantonese", 5)).LoggedIn("a", "b");
        kit.Join("c1", skills: ("cantonese", 1));
        Assert.Equal("b", kit.OpenOffer("c1").Agents[0].Agent);
    }
}
