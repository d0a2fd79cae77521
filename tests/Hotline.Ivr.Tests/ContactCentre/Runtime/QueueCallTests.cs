using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Ivr.ContactCentre;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

public sealed class QueueCallTests
{
    [Fact]
    public async Task A_caller_is_answered_hears_music_and_is_connected_to_the_agents_phone_with_the_ring_timeout_and_recording()
    {
        await using var kit = new ContactCentreKit();
        await kit.LoginAsync("5003");
        var citizen = kit.Call("13800001111", variables: new Dictionary<string, string> { ["case_id"] = "W-77" });
        var ring = await kit.Switch.RingingAsync("1003");
        Assert.Same(citizen, ring.From);
        Assert.Equal(TimeSpan.FromSeconds(15), ring.Options!.RingTimeout);
        Assert.True(ring.Options.Record);
        Assert.Equal("13800001111", ring.Options.CallerId);
        Assert.Equal(["answer", "moh", "connect:Extension:1003"], citizen.Log);
        Assert.Equal(("8000", "5003", "W-77"), (citizen.Variables["queue"], citizen.Variables["agent"], citizen.Variables["case_id"]));
        await kit.AgentIs("5003", AgentState.Ringing);
        kit.Time.Advance(TimeSpan.FromSeconds(4));
        ring.Answer();
        await kit.AgentIs("5003", AgentState.OnCall);
        kit.Time.Advance(TimeSpan.FromSeconds(60));
        citizen.HangUpFarEnd();
        await kit.AgentIs("5003", AgentState.Available);
        var stats = (await kit.Queue())!.Statistics;
        Assert.Equal((1L, 1L, 1L, 0L), (stats.Offered, stats.Answered, stats.AnsweredInServiceLevel, stats.Abandoned));
        Assert.Equal(TimeSpan.FromSeconds(4), stats.AverageWait);
        Assert.Equal(TimeSpan.FromSeconds(60), stats.AverageTalk);
    }

    [Fact]
    public async Task An_agent_who_does_not_answer_is_auto_paused_and_the_caller_rings_the_next_agent()
    {
        await using var kit = new ContactCentreKit();
        kit.Switch.Phones["1001"] = PhoneBehaviour.NoAnswer;
        await kit.LoginAsync("5001", "5002");
        var citizen = kit.Call("13800001111");
        await kit.Switch.RingingAsync("1001");
        await kit.AdvanceAsync(TimeSpan.FromSeconds(15));
        var next = await kit.Switch.RingingAsync("1002");
        var a1 = await kit.Agent("5001");
        Assert.Equal((AgentState.Paused, AcdCore.NoAnswerPause), (a1!.State, a1.Reason));
        Assert.Equal(1, a1.Statistics.Missed);
        next.Answer();
        await kit.AgentIs("5002", AgentState.OnCall);
        Assert.Equal(["answer", "moh", "connect:Extension:1001", "moh", "connect:Extension:1002"], citizen.Log);
        citizen.HangUpFarEnd();
    }

    [Fact]
    public async Task Ring_all_through_a_channel_that_rings_one_phone_releases_the_other_agents_and_takes_turns()
    {
        await using var kit = new ContactCentreKit(o => o.Queues[0].Strategy = QueueStrategy.RingAll);
        kit.Switch.Phones["1001"] = PhoneBehaviour.Busy;
        await kit.LoginAsync("5001", "5002");
        var citizen = kit.Call("13800001111");
        var second = await kit.Switch.RingingAsync("1002");   // 1001 was busy: the next attempt rings the next agent
        await kit.AgentIs("5001", AgentState.Available);
        Assert.Equal(AgentState.Ringing, (await kit.Agent("5002"))!.State);
        second.Answer();
        await kit.AgentIs("5002", AgentState.OnCall);
        citizen.HangUpFarEnd();
    }

    [Fact]
    public async Task Wrap_up_keeps_the_agent_out_of_the_queue_for_the_configured_time()
    {
        await using var kit = new ContactCentreKit(o => o.Queues[0].WrapUpSeconds = 30);
        kit.Switch.Phones["1001"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5001");
        var first = kit.Call("13800000001");
        await kit.AgentIs("5001", AgentState.OnCall);
        first.HangUpFarEnd();
        await kit.AgentIs("5001", AgentState.WrapUp);
        var second = kit.Call("13800000002");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "second caller waiting");
        await kit.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Equal(AgentState.WrapUp, (await kit.Agent("5001"))!.State);
        Assert.Single(kit.Switch.Rings);
        await kit.AdvanceAsync(TimeSpan.FromSeconds(1));
        await kit.AgentIs("5001", AgentState.OnCall);
        Assert.Equal(2, kit.Switch.Rings.Count);
        second.HangUpFarEnd();
    }

    [Fact]
    public async Task Position_and_estimated_wait_are_announced_with_the_callback_offer()
    {
        await using var kit = new ContactCentreKit(o =>
        {
            o.Queues[0].AnnounceFirstSeconds = 20;
            o.Queues[0].AnnounceEverySeconds = 60;
            o.Queues[0].DefaultHandleSeconds = 240;
        });
        kit.Switch.Phones["1001"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5001");
        var busy = kit.Call("13800000001");
        await kit.AgentIs("5001", AgentState.OnCall);
        var waiting = kit.Call("13800000002");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "the caller queued");
        await ContactCentreKit.Eventually(() => waiting.MusicOnHold, "music on hold");
        await kit.AdvanceAsync(TimeSpan.FromSeconds(20));
        await ContactCentreKit.Eventually(() => waiting.Played.Any(), "an announcement");
        // Position 1; 1 × 240 s ÷ 1 agent = 4 minutes.
        Assert.Equal("queue/you-are-caller,digits/1,queue/estimated-wait,digits/4,queue/minutes,queue/press-for-callback", waiting.Played.Single());
        await ContactCentreKit.Eventually(() => waiting.MusicOnHold, "music again after the announcement");
        busy.HangUpFarEnd();
        waiting.HangUpFarEnd();
    }

    [Fact]
    public async Task Callers_priority_and_skills_come_from_flow_variables()
    {
        await using var kit = new ContactCentreKit(o =>
        {
            o.Queues[0].Strategy = QueueStrategy.SkillsBased;
            o.Agents[0].Skills = new() { ["tax"] = 8 };
        });
        kit.Switch.Phones["1002"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5002");
        var busy = kit.Call("13800000000");
        await kit.AgentIs("5002", AgentState.OnCall);
        var plain = kit.Call("13800000001");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "plain caller queued");
        var vip = kit.Call("13800000002", variables: new Dictionary<string, string> { ["priority"] = "5" });
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 2, "vip queued");
        var tax = kit.Call("13800000003", variables: new Dictionary<string, string> { ["skills"] = "tax:6" });
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 3, "all queued");
        Assert.Equal([vip.CallId, plain.CallId, tax.CallId], (await kit.Queue())!.Calls.Select(c => c.CallId));
        Assert.Equal("tax:6", (await kit.Queue())!.Calls[2].Skills);
        await kit.LoginAsync("5001"); // the tax expert can take anyone: the caller first in line goes first
        var ring = await kit.Switch.RingingAsync("1001");
        Assert.Same(vip, ring.From);
        foreach (var c in new[] { busy, plain, vip, tax }) c.HangUpFarEnd();
    }

    [Fact]
    public async Task A_caller_can_press_for_a_callback_hang_up_keep_their_place_and_is_called_back_agent_first()
    {
        await using var kit = new ContactCentreKit(o => o.Queues[0].CallbackCallerId = "12345");
        kit.Switch.Phones["1001"] = PhoneBehaviour.Answer;
        await kit.LoginAsync("5001");
        var busy = kit.Call("13800000001");
        await kit.AgentIs("5001", AgentState.OnCall);
        var citizen = kit.Call("13900002222");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "citizen waiting");
        var behind = kit.Call("13800000003");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 2, "two waiting");
        citizen.Press("1");
        await ContactCentreKit.Eventually(() => citizen.Ended.IsCancellationRequested, "the callback caller is hung up after confirmation");
        Assert.Contains("queue/callback-confirmed", citizen.Played);
        var q = (await kit.Queue())!;
        Assert.Equal([(citizen.CallId, true), (behind.CallId, false)], q.Calls.Select(c => (c.CallId, c.Callback)));

        kit.Switch.Phones.Remove("1001");
        busy.HangUpFarEnd();
        var agentRing = await kit.Switch.RingingAsync("1001");
        Assert.NotNull(agentRing.Request);                       // originated: the agent first
        Assert.Equal("13900002222", agentRing.Request!.CallerId); // the agent sees whom they will call
        agentRing.Answer();
        var citizenRing = await kit.Switch.RingingAsync("13900002222");
        Assert.Equal(RouteTargetKind.External, citizenRing.Target.Kind);
        Assert.Equal("12345", citizenRing.Options!.CallerId);
        Assert.StartsWith("queue/callback-intro,digits/1,digits/3", agentRing.Channel!.Played.First());
        citizenRing.Answer();
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.Statistics.Answered == 2, "callback counted as answered");
        agentRing.Channel.HangUpFarEnd();
        await kit.AgentIs("5001", AgentState.Ringing); // straight on to the caller behind
        behind.HangUpFarEnd();
    }

    [Fact]
    public async Task A_caller_waiting_too_long_overflows_to_the_configured_destination()
    {
        await using var kit = new ContactCentreKit(o =>
        {
            o.Queues[0].MaxWaitSeconds = 60;
            o.Queues[0].Overflow = "Voicemail:8000";
        });
        var voicemail = kit.Destinations[RouteTargetKind.Voicemail] = new RecordingDestination();
        var citizen = kit.Call("13800001111");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "queued");
        await kit.AdvanceAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(5));
        await ContactCentreKit.Eventually(() => voicemail.Calls.Count == 1, "the caller reaching voicemail");
        Assert.Equal((citizen.CallId, new RouteTarget(RouteTargetKind.Voicemail, "8000")), voicemail.Calls[0]);
        Assert.Equal(("8000", "MaxWait"), (citizen.Variables["overflow_from"], citizen.Variables["overflow_reason"]));
        Assert.Equal(1, (await kit.Queue())!.Statistics.Overflowed);
    }

    [Fact]
    public async Task Overflow_into_another_queue_joins_it_and_an_extension_overflow_rings_the_extension()
    {
        await using var kit = new ContactCentreKit(o =>
        {
            o.Queues[0].MaxLength = 1;
            o.Queues[0].Overflow = "Queue:8001";
            o.Queues.Add(new() { Number = "8001", Name = "Backup", MaxLength = 1, Overflow = "Extension:1099", Members = [new() { Agent = "5004" }] });
        });
        var first = kit.Call("13800000001");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 1, "first queued");
        var second = kit.Call("13800000002");
        await ContactCentreKit.Eventually(async () => (await kit.Queue("8001"))!.InQueue == 1, "second overflowed into 8001");
        Assert.Equal([OverflowReason.MaxLength], kit.Seen<OverflowCall>().Select(o => o.Reason));
        var third = kit.Call("13800000003");
        var ring = await kit.Switch.RingingAsync("1099");
        Assert.Same(third, ring.From);
        ring.Answer();
        foreach (var c in new[] { first, second, third }) c.HangUpFarEnd();
    }

    [Fact]
    public async Task A_caller_hanging_up_while_waiting_is_counted_and_listed_for_call_back_unless_it_was_a_misdial()
    {
        await using var kit = new ContactCentreKit();
        var quick = kit.Call("13800000001");
        var patient = kit.Call("13800000002");
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.InQueue == 2, "both queued");
        kit.Time.Advance(TimeSpan.FromSeconds(2));
        quick.HangUpFarEnd();
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.Statistics.Abandoned == 1, "the quick one counted");
        kit.Time.Advance(TimeSpan.FromSeconds(40));
        patient.HangUpFarEnd();
        await ContactCentreKit.Eventually(async () => (await kit.Queue())!.Statistics.Abandoned == 2, "both counted");
        await kit.Host.FlushAsync();
        var listed = kit.Host.Abandoned.List();
        Assert.Equal([("13800000002", 42)], listed.Select(a => (a.Caller, a.WaitedSeconds)));

        kit.Switch.Phones["1001"] = PhoneBehaviour.Manual;
        await kit.LoginAsync("5001");
        Assert.True(kit.Host.Abandoned.ScheduleCallback(listed[0].Id, "supervisor 5009"));
        Assert.False(kit.Host.Abandoned.ScheduleCallback(listed[0].Id, "someone else"));
        var agentRing = await kit.Switch.RingingAsync("1001");
        Assert.Equal("13800000002", agentRing.Request!.CallerId);
        Assert.Empty(kit.Host.Abandoned.List());
        Assert.Equal("supervisor 5009", kit.Host.Abandoned.List(includeHandled: true).Single().HandledBy);
        agentRing.Fail(ConnectOutcome.NoAnswer);
    }

    [Fact]
    public async Task A_withdrawn_offer_stops_the_ring_and_the_caller_keeps_waiting()
    {
        await using var kit = new ContactCentreKit();
        await kit.LoginAsync("5001");
        var citizen = kit.Call("13800000001");
        var ring = await kit.Switch.RingingAsync("1001");
        // The switch never reports on this ring: after the ring timeout and a grace the engine takes the agent back.
        await kit.AdvanceAsync(TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(5));
        await ContactCentreKit.Eventually(() => ring.Settled, "the ring to be cancelled");
        Assert.Single(kit.Seen<OfferWithdrawn>());
        Assert.False(citizen.Ended.IsCancellationRequested);
        citizen.HangUpFarEnd();
    }
}
