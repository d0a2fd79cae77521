using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Engine;

public sealed class QueueBehaviourTests
{
    [Fact]
    public void Callers_of_equal_priority_are_served_in_arrival_order()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, null, "a").LoggedIn("a");
        kit.Join("c0");
        kit.AnswerOffer("c0");
        foreach (var c in new[] { "c1", "c2", "c3" })
        {
            kit.Join(c);
            kit.Advance(1);
        }
        var served = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            kit.Complete(i == 0 ? "c0" : served[^1]);
            var offer = Assert.Single(kit.Offers());
            served.Add(offer.CallId);
            kit.Answer(offer.CallId, "a");
        }
        Assert.Equal(["c1", "c2", "c3"], served);
    }

    [Fact]
    public void A_higher_priority_caller_goes_ahead_of_earlier_callers()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, null, "a").LoggedIn("a");
        kit.Join("busy");
        kit.AnswerOffer("busy");
        kit.Join("c1");
        kit.Join("c2");
        var queued = kit.Join("vip", priority: 5).OfType<CallQueued>().Single();
        Assert.Equal(1, queued.Position);
        Assert.Equal(["vip", "c1", "c2"], kit.QueueState().Calls.Select(c => c.CallId));
        kit.Complete("busy");
        Assert.Equal("vip", Assert.Single(kit.Offers()).CallId);
    }

    [Fact]
    public void A_caller_waiting_past_max_wait_overflows_to_the_configured_destination()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle,
            s => s with { MaxWait = TimeSpan.FromSeconds(60), Overflow = EngineKit.Voicemail }, "a").LoggedIn("a");
        kit.Join("busy");
        kit.AnswerOffer("busy");
        kit.Join("c1");
        kit.Advance(59);
        Assert.Empty(kit.Last.OfType<OverflowCall>());
        kit.Advance(1);
        var overflow = Assert.Single(kit.Last.OfType<OverflowCall>());
        Assert.Equal(("c1", OverflowReason.MaxWait, EngineKit.Voicemail), (overflow.CallId, overflow.Reason, overflow.Destination));
        Assert.Equal(kit.Now, overflow.At);
        Assert.Equal(0, kit.QueueState().InQueue);
        Assert.Equal(1, kit.QueueState().Statistics.Overflowed);
    }

    [Fact]
    public void Max_wait_while_an_agent_rings_lets_the_ring_finish_then_overflows_if_unanswered()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle,
            s => s with { MaxWait = TimeSpan.FromSeconds(20), RingTimeout = TimeSpan.FromSeconds(30), AutoPauseOnNoAnswer = false }, "a").LoggedIn("a");
        kit.Join("c1");
        kit.Advance(25);
        Assert.Empty(kit.All.OfType<OverflowCall>());
        kit.Fail("c1");
        Assert.Equal(OverflowReason.MaxWait, Assert.Single(kit.Last.OfType<OverflowCall>()).Reason);
        Assert.Empty(kit.Offers());
    }

    [Fact]
    public void A_full_queue_sends_new_callers_straight_to_overflow()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with { MaxLength = 2 });
        kit.Join("c1");
        kit.Join("c2");
        var o = kit.Join("c3").OfType<OverflowCall>().Single();
        Assert.Equal(OverflowReason.MaxLength, o.Reason);
        Assert.Null(o.Destination);
        var stats = kit.QueueState().Statistics;
        Assert.Equal((3L, 1L), (stats.Offered, stats.Overflowed));
    }

    [Fact]
    public void With_overflow_when_no_agents_a_caller_finding_nobody_logged_in_leaves_at_once()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with { OverflowWhenNoAgents = true, Overflow = EngineKit.Voicemail }, "a");
        kit.Agent("a");
        Assert.Equal(OverflowReason.NoAgents, kit.Join("c1").OfType<OverflowCall>().Single().Reason);
        kit.LoggedIn("a");
        kit.Apply(new AgentPaused(kit.Now, "a", "lunch"));
        Assert.Empty(kit.Join("c2").OfType<OverflowCall>()); // paused counts as logged in: wait for them
    }

    [Fact]
    public void Unknown_queue_is_an_overflow_with_no_destination()
    {
        var kit = new EngineKit();
        Assert.Equal(OverflowReason.UnknownQueue, kit.Join("c1", "nope").OfType<OverflowCall>().Single().Reason);
    }

    [Fact]
    public void Position_and_estimated_wait_are_announced_first_after_a_delay_then_at_intervals()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with
        {
            AnnounceFirst = TimeSpan.FromSeconds(10), AnnounceEvery = TimeSpan.FromSeconds(30), DefaultHandleTime = TimeSpan.FromSeconds(120),
        }, "a", "b").LoggedIn("a", "b");
        kit.Join("busy1");
        kit.AnswerOffer("busy1");
        kit.Join("busy2");
        kit.AnswerOffer("busy2");
        kit.Join("c1");
        kit.Join("c2");
        kit.Advance(9);
        Assert.Empty(kit.Last.OfType<AnnouncePosition>());
        kit.Advance(1);
        var first = kit.Last.OfType<AnnouncePosition>().ToList();
        Assert.Equal([("c1", 1), ("c2", 2)], first.Select(a => (a.CallId, a.Position)));
        // position × handle time ÷ staffed agents: 1 × 120 / 2 and 2 × 120 / 2.
        Assert.Equal([TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], first.Select(a => a.EstimatedWait!.Value));
        kit.Advance(29);
        Assert.Empty(kit.Last.OfType<AnnouncePosition>());
        kit.Complete("busy1");                     // c1 is offered to a, and hears no announcement while a's phone rings
        kit.Advance(1);
        // c1 keeps its place ahead of c2 until a answers.
        Assert.Equal([("c2", 2)], kit.Last.OfType<AnnouncePosition>().Select(a => (a.CallId, a.Position)));
        kit.Answer("c1", "a");
        kit.Advance(30);
        Assert.Equal([("c2", 1)], kit.Last.OfType<AnnouncePosition>().Select(a => (a.CallId, a.Position)));
    }

    [Fact]
    public void Estimated_wait_is_unknown_when_no_agent_is_staffed()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with { AnnounceEvery = TimeSpan.FromSeconds(20) }, "a");
        kit.Agent("a");
        kit.Join("c1");
        kit.Advance(20);
        Assert.Null(Assert.Single(kit.Last.OfType<AnnouncePosition>()).EstimatedWait);
    }

    [Fact]
    public void Wrap_up_keeps_the_agent_out_for_the_configured_time()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with { WrapUp = TimeSpan.FromSeconds(30) }, "a").LoggedIn("a");
        kit.Join("c1");
        kit.AnswerOffer("c1");
        kit.Advance(10);
        kit.Complete("c1");
        Assert.Equal(AgentState.WrapUp, kit.AgentState("a").State);
        kit.Join("c2");
        Assert.Empty(kit.Offers());
        kit.Advance(29);
        Assert.Equal(AgentState.WrapUp, kit.AgentState("a").State);
        kit.Advance(1);
        Assert.Equal("c2", Assert.Single(kit.Offers()).CallId);
        Assert.Equal(kit.Now, kit.AgentState("a").Since);
    }

    [Fact]
    public void An_agent_can_end_wrap_up_early_and_an_agent_setting_overrides_the_queue()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.LongestIdle, s => s with { WrapUp = TimeSpan.FromSeconds(30) }, "a", "b");
        kit.Apply(new AgentConfigured(kit.Now, new AgentSettings("b", "B", AgentSettings.NoSkills, WrapUp: TimeSpan.Zero)));
        kit.LoggedIn("a", "b");
        kit.Join("c1");
        kit.Join("c2");
        kit.Answer("c1", "a");
        kit.Answer("c2", "b");
        kit.Complete("c1");
        kit.Complete("c2");
        Assert.Equal((AgentState.WrapUp, AgentState.Available), (kit.AgentState("a").State, kit.AgentState("b").State));
        kit.Apply(new AgentResumed(kit.Now, "a"));
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
    }

    [Fact]
    public void An_agent_who_lets_a_call_ring_out_is_paused_and_the_call_goes_to_the_next_agent()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        Assert.Equal("a", kit.OpenOffer("c1").Agents[0].Agent);
        kit.Advance(15);
        kit.Fail("c1", OfferFailure.NoAnswer);
        var a = kit.AgentState("a");
        Assert.Equal((AgentState.Paused, AcdCore.NoAnswerPause), (a.State, a.Reason));
        Assert.Equal("b", Assert.Single(kit.Offers()).Agents[0].Agent);
        Assert.Equal(1, a.Statistics.Missed);
        kit.Advance(3600);
        Assert.Equal(AgentState.Paused, kit.AgentState("a").State); // until they resume
    }

    [Fact]
    public void A_timed_auto_pause_ends_by_itself()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { AutoPauseFor = TimeSpan.FromSeconds(60) }, "a").LoggedIn("a");
        kit.Join("c1");
        kit.Fail("c1");
        kit.Advance(59);
        Assert.Equal(AgentState.Paused, kit.AgentState("a").State);
        kit.Advance(1);
        Assert.Equal("c1", Assert.Single(kit.Offers()).CallId);
    }

    [Fact]
    public void A_busy_agent_is_not_paused_and_a_caller_prefers_agents_who_have_not_failed_them()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        kit.Fail("c1", OfferFailure.Busy);
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
        Assert.Equal("b", kit.OpenOffer("c1").Agents[0].Agent);
        kit.Fail("c1", OfferFailure.Busy);
        Assert.Equal("a", kit.OpenOffer("c1").Agents[0].Agent); // both tried: a new round
    }

    [Fact]
    public void Without_auto_pause_a_no_answer_agent_stays_available()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { AutoPauseOnNoAnswer = false }, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        kit.Fail("c1");
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
        Assert.Equal("b", kit.OpenOffer("c1").Agents[0].Agent);
    }

    [Fact]
    public void A_caller_hanging_up_while_an_agent_rings_frees_the_agent_without_a_pause_and_counts_as_abandoned()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a").LoggedIn("a");
        kit.Join("c1");
        kit.Advance(4);
        var left = kit.HangUp("c1").OfType<CallLeftQueue>().Single();
        Assert.Equal((LeaveReason.Abandoned, TimeSpan.FromSeconds(4)), (left.Reason, left.Waited));
        Assert.Equal(AgentState.Available, kit.AgentState("a").State);
        Assert.Equal(1, kit.QueueState().Statistics.Abandoned);
        // A late report for the gone call is ignored (counted as a fault, never a crash).
        kit.Fail("c1");
        Assert.Single(kit.Last.OfType<EngineFault>());
    }

    [Fact]
    public void Pause_and_logout_asked_for_during_a_call_happen_when_it_ends_skipping_wrap_up()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { WrapUp = TimeSpan.FromSeconds(30) }, "a", "b").LoggedIn("a", "b");
        kit.Join("c1");
        kit.Join("c2");
        kit.Answer("c1", "a");
        kit.Answer("c2", "b");
        kit.Apply(new AgentPaused(kit.Now, "a", "training"));
        kit.Apply(new AgentLoggedOut(kit.Now, "b"));
        Assert.Equal((AgentState.OnCall, AgentState.OnCall), (kit.AgentState("a").State, kit.AgentState("b").State));
        kit.Complete("c1");
        kit.Complete("c2");
        Assert.Equal(("training", AgentState.Paused), (kit.AgentState("a").Reason, kit.AgentState("a").State));
        Assert.Equal(AgentState.LoggedOut, kit.AgentState("b").State);
        Assert.Null(kit.AgentState("b").Phone);
    }

    [Fact]
    public void An_agent_whose_phone_is_busy_with_another_call_is_skipped_until_it_is_free()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b").LoggedIn("a", "b");
        kit.Apply(new AgentPhoneBusy(kit.Now, "a", true));
        kit.Apply(new AgentPhoneBusy(kit.Now, "b", true));
        kit.Join("c1");
        Assert.Empty(kit.Offers());
        kit.Apply(new AgentPhoneBusy(kit.Now, "b", false));
        Assert.Equal("b", kit.OpenOffer("c1").Agents[0].Agent);
    }

    [Fact]
    public void An_offer_nobody_reports_on_is_released_after_the_ring_timeout_and_a_grace()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a").LoggedIn("a");
        kit.Join("c1");
        kit.Advance(15 + 59);
        Assert.Equal(AgentState.Ringing, kit.AgentState("a").State);
        kit.Advance(1);
        Assert.Single(kit.Last.OfType<EngineFault>());
        Assert.Equal("c1", kit.Offers().Single().CallId); // not paused: the fault was ours, not the agent's
    }

    [Fact]
    public void Logging_in_binds_the_agent_to_the_phone_and_a_new_login_moves_the_binding()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a");
        kit.Agent("a");
        kit.Apply(new AgentLoggedIn(kit.Now, "a", "1003"));
        kit.Join("c1");
        Assert.Equal("1003", kit.OpenOffer("c1").Agents[0].Phone);
        kit.AnswerOffer("c1");
        kit.Complete("c1");
        kit.Apply(new AgentLoggedIn(kit.Now, "a", "1005"));
        kit.Join("c2");
        Assert.Equal("1005", kit.OpenOffer("c2").Agents[0].Phone);
    }

    [Fact]
    public void An_agent_in_two_queues_serves_the_heavier_queue_first_then_the_longest_waiting_caller()
    {
        var kit = new EngineKit()
            .Queue("sales", QueueStrategy.Linear, s => s with { Weight = 0 }, "a")
            .Queue("tax", QueueStrategy.Linear, s => s with { Weight = 0 }, "a")
            .Queue("urgent", QueueStrategy.Linear, s => s with { Weight = 10 }, "a")
            .LoggedIn("a");
        kit.Join("busy", "sales");
        kit.AnswerOffer("busy");
        kit.Join("s1", "sales");
        kit.Advance(1);
        kit.Join("t1", "tax");
        kit.Advance(1);
        kit.Join("u1", "urgent");
        var order = new List<string>();
        var current = "busy";
        for (int i = 0; i < 3; i++)
        {
            kit.Complete(current);
            current = Assert.Single(kit.Offers()).CallId;
            order.Add(current);
            kit.Answer(current, "a");
        }
        Assert.Equal(["u1", "s1", "t1"], order);
    }

    [Fact]
    public void An_agent_in_several_queues_is_never_offered_two_calls_at_once()
    {
        var kit = new EngineKit().Queue("x", QueueStrategy.RingAll, null, "a", "b").Queue("y", QueueStrategy.RingAll, null, "a", "b").LoggedIn("a", "b");
        kit.Join("c1", "x");
        kit.Join("c2", "y");
        Assert.Empty(kit.Offers()); // both agents ring for c1
        kit.Answer("c1", "a");
        Assert.Equal(["b"], kit.OpenOffer("c2").Agents.Select(r => r.Agent));
    }

    [Fact]
    public void Removing_a_queue_overflows_its_waiting_callers()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { Overflow = EngineKit.Voicemail });
        kit.Join("c1");
        var o = kit.Apply(new QueueRemoved(kit.Now, "q")).OfType<OverflowCall>().Single();
        Assert.Equal((OverflowReason.QueueRemoved, EngineKit.Voicemail), (o.Reason, o.Destination));
    }

    [Fact]
    public void Agents_configured_after_their_queue_become_members_and_removed_agents_leave()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "late");
        kit.Join("c1");
        kit.LoggedIn("late");
        Assert.Equal("late", kit.OpenOffer("c1").Agents[0].Agent);
        kit.Answer("c1", "late");
        kit.Apply(new AgentRemoved(kit.Now, "late"));
        Assert.True(kit.Core.HasAgent("late")); // still on the call
        kit.Complete("c1");
        Assert.False(kit.Core.HasAgent("late"));
        kit.Join("c2");
        Assert.Empty(kit.Offers());
    }

    [Fact]
    public void Settings_with_problems_are_refused_naming_the_field()
    {
        var kit = new EngineKit();
        kit.Apply(new QueueConfigured(kit.Now, new QueueSettings { Name = "q", RingTimeout = TimeSpan.Zero }));
        Assert.Contains("RingTimeout", Assert.Single(kit.Last.OfType<EngineFault>()).Message);
        Assert.False(kit.Core.HasQueue("q"));
    }
}
