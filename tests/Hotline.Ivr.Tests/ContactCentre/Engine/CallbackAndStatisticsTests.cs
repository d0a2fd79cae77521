using Hotline.Ivr.ContactCentre.Engine;

namespace Hotline.Ivr.Tests.ContactCentre.Engine;

public sealed class CallbackAndStatisticsTests
{
    private static EngineKit BusyQueue(Func<QueueSettings, QueueSettings>? tweak = null)
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s =>
        {
            s = s with { CallbackEnabled = true, CallbackAttempts = 2, CallbackRetryDelay = TimeSpan.FromMinutes(5), MaxWait = TimeSpan.FromSeconds(120) };
            return tweak is null ? s : tweak(s);
        }, "a").LoggedIn("a");
        kit.Join("busy");
        kit.AnswerOffer("busy");
        return kit;
    }

    [Fact]
    public void A_callback_request_keeps_the_callers_place_and_survives_their_hang_up_and_max_wait()
    {
        var kit = BusyQueue();
        kit.Join("c1");
        kit.Join("c2");
        kit.Apply(new CallbackRequested(kit.Now, "c1", "13800001111"));
        kit.HangUp("c1");
        Assert.Empty(kit.Last.OfType<CallLeftQueue>());
        kit.Advance(200); // past max wait: c2 overflows, the callback does not
        Assert.Equal("c2", Assert.Single(kit.Last.OfType<OverflowCall>()).CallId);
        var state = kit.QueueState();
        Assert.Equal([("c1", 1, true)], state.Calls.Select(c => (c.CallId, c.Position, c.Callback)));
        kit.Complete("busy");
        var offer = Assert.Single(kit.Offers());
        Assert.Equal(("c1", "13800001111"), (offer.CallId, offer.CallbackNumber));
    }

    [Fact]
    public void A_reached_callback_counts_as_answered_with_its_wait_from_the_original_join()
    {
        var kit = BusyQueue();
        kit.Join("c1");
        kit.Apply(new CallbackRequested(kit.Now, "c1", "13800001111"));
        kit.Advance(100);
        kit.Complete("busy");
        kit.Answer("c1", "a");
        Assert.Equal(1, kit.QueueState().Statistics.Answered); // only "busy" so far
        kit.Advance(10);
        var left = kit.Apply(new CallbackReached(kit.Now, "c1")).OfType<CallLeftQueue>().Single();
        Assert.Equal((LeaveReason.Answered, TimeSpan.FromSeconds(110)), (left.Reason, left.Waited));
        kit.Advance(60);
        kit.Complete("c1");
        var stats = kit.QueueState().Statistics;
        Assert.Equal((2L, 1L, 1L), (stats.Answered, stats.CallbacksRequested, stats.AnsweredInServiceLevel));
    }

    [Fact]
    public void An_unreached_callback_frees_the_agent_and_retries_in_its_place_then_is_listed_as_failed()
    {
        var kit = BusyQueue(s => s with { WrapUp = TimeSpan.FromSeconds(20) });
        kit.Join("c1");
        kit.Apply(new CallbackRequested(kit.Now, "c1", "13800001111"));
        kit.Join("c2");
        kit.Complete("busy");
        kit.Advance(20);
        kit.Answer("c1", "a");
        kit.Apply(new CallbackUnreached(kit.Now, "c1"));
        Assert.Equal(AgentState.Ringing, kit.AgentState("a").State); // straight on to c2, no wrap-up for a failed dial
        Assert.Equal("c2", kit.OpenOffer("c2").CallId);
        Assert.Equal(["c1", "c2"], kit.QueueState().Calls.Select(c => c.CallId));
        kit.Answer("c2", "a");
        kit.Complete("c2");
        kit.Advance(20);
        Assert.Empty(kit.Offers());   // agent free, but the callback waits for its retry time
        kit.Advance(280);
        Assert.Equal("c1", Assert.Single(kit.Offers()).CallId);
        kit.Answer("c1", "a");
        var left = kit.Apply(new CallbackUnreached(kit.Now, "c1")).OfType<CallLeftQueue>().Single();
        Assert.Equal(LeaveReason.CallbackFailed, left.Reason);
        Assert.Equal(1, kit.QueueState().Statistics.Abandoned);
    }

    [Fact]
    public void A_callback_is_refused_when_the_queue_does_not_offer_them()
    {
        var kit = BusyQueue(s => s with { CallbackEnabled = false });
        kit.Join("c1");
        kit.Apply(new CallbackRequested(kit.Now, "c1", "13800001111"));
        Assert.Single(kit.Last.OfType<EngineFault>());
        kit.HangUp("c1");
        Assert.Equal(LeaveReason.Abandoned, kit.Last.OfType<CallLeftQueue>().Single().Reason);
    }

    [Fact]
    public void A_callback_scheduled_from_the_abandoned_list_joins_and_is_offered_with_its_number()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { CallbackEnabled = true }, "a").LoggedIn("a");
        kit.Apply(new CallbackScheduled(kit.Now, "cb-1", "q", "13900002222", Priority: 1));
        Assert.Equal("13900002222", kit.OpenOffer("cb-1").CallbackNumber);
    }

    [Fact]
    public void Statistics_count_offered_answered_within_service_level_abandoned_overflowed_waits_and_talk()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, s => s with { MaxWait = TimeSpan.FromSeconds(100) }, "a").LoggedIn("a");
        kit.Join("c1");             // answered after 10 s, talks 60 s
        kit.Advance(10);
        kit.Answer("c1", "a");
        kit.Join("c2");             // answered after 60 + 20 = 80 s (outside 15 s), talks 30 s
        kit.Join("c3");             // abandons after 30 s
        kit.Advance(30);
        kit.HangUp("c3");
        kit.Advance(30);
        kit.Complete("c1");
        kit.Advance(20);
        kit.Answer("c2", "a");
        kit.Join("c4");             // offered to a when c2 ends, abandons while a's phone rings, after 50 s
        kit.Advance(30);
        kit.Complete("c2");
        kit.Advance(20);
        kit.HangUp("c4");
        var s = kit.QueueState().Statistics;
        Assert.Equal(4, s.Offered);
        Assert.Equal(2, s.Answered);
        Assert.Equal(1, s.AnsweredInServiceLevel);
        Assert.Equal(2, s.Abandoned);
        Assert.Equal(0, s.Overflowed);
        Assert.Equal(TimeSpan.FromSeconds(45), s.AverageWait);
        Assert.Equal(TimeSpan.FromSeconds(45), s.AverageTalk);
        Assert.Equal(TimeSpan.FromSeconds(40), s.AverageAbandonedWait);
        Assert.Equal(s.Offered, s.Answered + s.Abandoned + s.Overflowed + kit.QueueState().InQueue);
        Assert.Equal(50, s.AnsweredPercent);
        Assert.Equal(25, s.ServiceLevelPercent);
        var a = kit.AgentState("a").Statistics;
        Assert.Equal((3L, 2L, 2L, TimeSpan.FromSeconds(90)), (a.Offered, a.Answered, a.Completed, a.TotalTalk));
        Assert.Equal(2, a.AnsweredByQueue["q"]);
        kit.Apply(new StatisticsReset(kit.Now));
        Assert.Equal(0, kit.QueueState().Statistics.Offered);
        Assert.Equal(0, kit.AgentState("a").Statistics.Answered);
    }

    [Fact]
    public void Snapshot_shows_waiting_callers_longest_wait_and_agents_by_state()
    {
        var kit = new EngineKit().Queue("q", QueueStrategy.Linear, null, "a", "b", "c").LoggedIn("a", "b", "c");
        kit.Apply(new AgentPaused(kit.Now, "c", "lunch"));
        kit.Join("c1");
        kit.AnswerOffer("c1");
        kit.Join("c2");
        kit.Join("c3");
        kit.Advance(7);
        kit.Join("c4");
        var q = kit.QueueState();
        Assert.Equal((3, 1, TimeSpan.FromSeconds(7)), (q.InQueue, q.Ringing, q.LongestWait));
        Assert.Equal(1, q.AgentsByState[AgentState.OnCall]);
        Assert.Equal(1, q.AgentsByState[AgentState.Ringing]);
        Assert.Equal(1, q.AgentsByState[AgentState.Paused]);
        Assert.Equal(0, q.AgentsByState[AgentState.Available]);
        Assert.Equal(["c2", "c3", "c4"], q.Calls.Select(c => c.CallId));
        Assert.Equal("lunch", kit.AgentState("c").Reason);
    }
}
