using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Calls;

/// <summary>A destination whose body is the test's lambda.</summary>
internal sealed class ScriptedDestination(Func<ICallChannel, RouteTarget, Task> script) : ICallDestination
{
    public TaskCompletionSource<Exception?> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        try
        {
            await script(call, target);
            Finished.TrySetResult(null);
        }
        catch (Exception e)
        {
            Finished.TrySetResult(e);
            throw;
        }
    }
}

public class ChannelTests
{
    private static CallTestKit KitWithFlow(Func<ICallChannel, RouteTarget, Task> script, out ScriptedDestination destination)
    {
        var kit = new CallTestKit();
        kit.Router.Routes["12345"] = new RouteDecision(new RouteTarget(RouteTargetKind.Ivr, "main"), [], true);
        destination = new ScriptedDestination(script);
        kit.Calls.RegisterDestination(RouteTargetKind.Ivr, destination);
        return kit;
    }

    [Fact]
    public async Task A_flow_answers_plays_collects_type_ahead_digits_and_connects_the_caller()
    {
        string? digits = null;
        ConnectResult? connected = null;
        await using var kit = KitWithFlow(async (call, target) =>
        {
            Assert.Equal("main", target.Value);
            await call.AnswerAsync();
            var played = await call.PlayAsync(["welcome.wav", "menu.wav"], interruptOnDtmf: true);
            digits = await call.CollectDigitsAsync(new DigitCollection(MaxDigits: 1));
            connected = await call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1002"), new ConnectOptions(TimeSpan.FromSeconds(20)));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        var agent = kit.Phone("1002", 5064);
        kit.Bind(agent);
        await citizen.Call("12345");
        var ok = await citizen.ExpectResponse(200);
        citizen.Ack(ok);
        await Task.WhenAny(flow.Finished.Task, Task.Delay(2000)); if (flow.Finished.Task.IsCompleted) Assert.Fail("flow ended: " + await flow.Finished.Task);
        await CallTestKit.Until(() => kit.Media.Leg("/A").Events.Any(e => e.StartsWith("prompts:welcome.wav,menu.wav")), "prompts");
        Assert.True(kit.Media.Leg("/A").ListensForDigits); // a flow has the call: the caller's keys are collected
        kit.Media.Leg("/A").RaiseDtmf('1');
        var toAgent = await agent.ExpectRequest(SipMethod.Invite);
        Assert.Equal("1", digits);
        agent.Respond(toAgent, 180);
        await CallTestKit.Until(() => kit.Media.Leg("/A").Playing == CallSound.Ringback, "ringback to the answered caller");
        agent.Respond(toAgent, 200, FakeLeg.Sdp("agent", 17000));
        await agent.ExpectRequest(SipMethod.Ack);
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ConnectOutcome.Answered, connected!.Outcome);
        Assert.Equal("1002", connected.AnsweredBy);
        Assert.Single(kit.Media.Bridges, b => b.RecordingPath is not null);
        Assert.Single(kit.SentTo(citizen.Address), m => m.StatusCode == 200 && m.CSeq.Method == SipMethod.Invite); // answered once, by the flow
        Assert.Equal(1, kit.Calls.ActiveCalls); // the flow ended, the call goes on
    }

    [Fact]
    public async Task Digit_during_an_interruptible_prompt_stops_it_and_is_kept()
    {
        PlayResult? result = null;
        string? digits = null;
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            result = await call.PlayAsync(["long.wav"], interruptOnDtmf: true);
            digits = await call.CollectDigitsAsync(new DigitCollection(MinDigits: 2, MaxDigits: 4, Terminator: '#'));
            await call.HangupAsync();
        }, out var flow);
        kit.Media.HoldPrompts = true;
        var citizen = kit.Phone("1001", 5062);
        await citizen.Call("12345");
        citizen.Ack(await citizen.ExpectResponse(200));
        await CallTestKit.Until(() => kit.Media.Legs.Any(l => l.Label.EndsWith("/A")), "caller media");
        var leg = kit.Media.Leg("/A");
        await CallTestKit.Until(() => leg.Events.Any(e => e == "prompts:long.wav"), "prompt");
        leg.RaiseDtmf('4');
        leg.RaiseDtmf('2');
        leg.RaiseDtmf('#');
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(new PlayResult(false, '4'), result);
        Assert.Equal("42", digits);
        await citizen.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task Digit_timeout_returns_what_was_typed()
    {
        string? digits = null;
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            digits = await call.CollectDigitsAsync(new DigitCollection(MaxDigits: 1, FirstDigitTimeout: TimeSpan.FromSeconds(5)));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        await citizen.Call("12345");
        citizen.Ack(await citizen.ExpectResponse(200));
        await Task.Delay(50);
        await kit.Advance(5.1);
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("", digits);
        await citizen.ExpectRequest(SipMethod.Bye); // the flow ended without connecting: the switch hangs up
    }

    [Fact]
    public async Task Unanswered_connect_returns_NoAnswer_and_the_flow_carries_on()
    {
        var outcomes = new List<ConnectOutcome>();
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            outcomes.Add((await call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1002"), new ConnectOptions(TimeSpan.FromSeconds(10)))).Outcome);
            outcomes.Add((await call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1003"), new ConnectOptions(TimeSpan.FromSeconds(10)))).Outcome);
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        var busyAgent = kit.Phone("1002", 5064);
        var freeAgent = kit.Phone("1003", 5066);
        kit.Bind(busyAgent);
        kit.Bind(freeAgent);
        await citizen.Call("12345");
        citizen.Ack(await citizen.ExpectResponse(200));
        var first = await busyAgent.ExpectRequest(SipMethod.Invite);
        busyAgent.Respond(first, 180);
        await Task.Delay(20);
        await kit.Advance(10.5);
        await busyAgent.ExpectRequest(SipMethod.Cancel);
        var second = await freeAgent.ExpectRequest(SipMethod.Invite);
        freeAgent.Respond(second, 200, FakeLeg.Sdp("free", 17004));
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal([ConnectOutcome.NoAnswer, ConnectOutcome.Answered], outcomes);
    }

    [Fact]
    public async Task Caller_hanging_up_cancels_what_the_flow_is_waiting_for()
    {
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            await call.CollectDigitsAsync(new DigitCollection(FirstDigitTimeout: TimeSpan.FromMinutes(5)));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        await citizen.Call("12345");
        var ok = await citizen.ExpectResponse(200);
        citizen.Ack(ok);
        citizen.InDialog(SipMethod.Bye, ok, weAreCaller: true);
        var error = await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.IsAssignableFrom<OperationCanceledException>(error);
        await CallTestKit.Until(() => kit.Calls.ActiveCalls == 0, "call ended");
        Assert.Equal(HangupSide.Caller, kit.Cdrs.Search(new CdrQuery())[0].HangupSide);
    }

    [Fact]
    public async Task Recording_the_caller_ends_on_silence()
    {
        RecordResult? recorded = null;
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            recorded = await call.RecordAsync("/tmp/hl-calls/vm/msg1.wav", new RecordOptions(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(3)));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        await citizen.Call("12345");
        citizen.Ack(await citizen.ExpectResponse(200));
        await CallTestKit.Until(() => kit.Media.Legs.Any(l => l.Label.EndsWith("/A") && l.Recording is not null), "recording started");
        var leg = kit.Media.Leg("/A");
        Assert.Contains(leg.Events, e => e == "prompts:beep.wav");
        leg.Recording!.Duration = TimeSpan.FromSeconds(12);
        leg.Recording.SilentFor = TimeSpan.FromSeconds(3.2);
        // The flow looks every 100 ms of fake time, from a delay it sets up just after the recording starts:
        // on a loaded machine a single short advance can pass before that delay exists.
        for (var i = 0; i < 30 && !flow.Finished.Task.IsCompleted; i++) await kit.Advance(0.1);
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(RecordEnd.Silence, recorded!.End);
        Assert.Equal(TimeSpan.FromSeconds(12), recorded.Duration);
        Assert.True(leg.Recording.Stopped);
    }

    [Fact]
    public async Task Originated_call_gives_a_channel_that_can_connect_onward()
    {
        await using var kit = new CallTestKit();
        var agent = kit.Phone("1002", 5064);
        var citizen = kit.Phone("1003", 5066);
        kit.Bind(agent);
        kit.Bind(citizen);
        var originate = kit.Calls.OriginateAsync(new OriginateRequest(new RouteTarget(RouteTargetKind.Extension, "1002"), "12345", "Hotline", TimeSpan.FromSeconds(30)));
        var toAgent = await agent.ExpectRequest(SipMethod.Invite);
        Assert.Contains("sip:12345@hotline", toAgent.Text(toAgent.From.Value));
        agent.Respond(toAgent, 200, FakeLeg.Sdp("agent", 17000));
        await agent.ExpectRequest(SipMethod.Ack);
        await CallTestKit.Until(() => originate.IsCompleted, "originate to complete");
        var result = await originate;
        Assert.Equal(ConnectOutcome.Answered, result.Outcome);
        var connect = result.Channel!.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1003"), new ConnectOptions(TimeSpan.FromSeconds(30)));
        var toCitizen = await citizen.ExpectRequest(SipMethod.Invite);
        citizen.Respond(toCitizen, 200, FakeLeg.Sdp("citizen", 17002));
        Assert.Equal(ConnectOutcome.Answered, (await connect.WaitAsync(TimeSpan.FromSeconds(5))).Outcome);
        Assert.Contains(kit.Media.Bridges, b => b.CallerLeg.Label.EndsWith("/O") && b.CalleeLeg.Label.EndsWith("/B"));
    }

    [Fact]
    public async Task Originate_to_a_busy_number_reports_Busy()
    {
        await using var kit = new CallTestKit();
        var agent = kit.Phone("1002", 5064);
        kit.Bind(agent);
        var originate = kit.Calls.OriginateAsync(new OriginateRequest(new RouteTarget(RouteTargetKind.Extension, "1002"), "12345", null, TimeSpan.FromSeconds(30)));
        agent.Respond(await agent.ExpectRequest(SipMethod.Invite), 486);
        var result = await originate.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ConnectOutcome.Busy, result.Outcome);
        Assert.Null(result.Channel);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        Assert.Equal(CallDisposition.Busy, kit.Cdrs.Search(new CdrQuery())[0].Disposition);
    }

    [Fact]
    public async Task Follow_me_connects_only_after_the_answering_party_presses_the_key()
    {
        ConnectResult? result = null;
        await using var kit = KitWithFlow(async (call, _) =>
        {
            await call.AnswerAsync();
            result = await call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1002"),
                new ConnectOptions(TimeSpan.FromSeconds(30), AcceptDigit: '1', AcceptPrompt: "press1.wav"));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        var duty = kit.Phone("1002", 5064);
        kit.Bind(duty);
        await citizen.Call("12345");
        citizen.Ack(await citizen.ExpectResponse(200));
        var toDuty = await duty.ExpectRequest(SipMethod.Invite);
        duty.Respond(toDuty, 200, FakeLeg.Sdp("duty", 17000));
        await duty.ExpectRequest(SipMethod.Ack);
        await CallTestKit.Until(() => kit.Media.Leg("/B").Events.Contains("prompts:press1.wav"), "accept prompt");
        Assert.DoesNotContain(kit.Media.Bridges, b => b.RecordingPath is not null);
        kit.Media.Leg("/B").RaiseDtmf('1');
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(ConnectOutcome.Answered, result!.Outcome);
        Assert.Contains(kit.Media.Bridges, b => b.RecordingPath is not null);
    }
}

public class VoicemailDiversionTests
{
    [Fact]
    public async Task An_unanswered_extension_sends_the_caller_to_its_mailbox()
    {
        await using var kit = new CallTestKit();
        RouteTarget? reached = null;
        var mailbox = new ScriptedDestination(async (call, target) =>
        {
            reached = target;
            await call.AnswerAsync();
            await call.HangupAsync();
        });
        kit.Calls.RegisterDestination(RouteTargetKind.Voicemail, mailbox);
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 180);
        await Task.Delay(20);
        await kit.Advance(kit.Options.VoicemailAfterSeconds + 0.5);
        await bob.ExpectRequest(SipMethod.Cancel);
        Assert.Null(await mailbox.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new RouteTarget(RouteTargetKind.Voicemail, "1002"), reached);
        alice.Ack(await alice.ExpectResponse(200));
        await alice.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task A_busy_extension_sends_the_caller_to_its_mailbox_at_once()
    {
        await using var kit = new CallTestKit();
        var mailbox = new ScriptedDestination((call, _) => call.HangupAsync(480));
        kit.Calls.RegisterDestination(RouteTargetKind.Voicemail, mailbox);
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        bob.Respond(await bob.ExpectRequest(SipMethod.Invite), 486);
        Assert.Null(await mailbox.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        await alice.ExpectResponse(480);
    }
}

public class ConnectAnyTests
{
    private static CallTestKit Kit(Func<ICallChannel, RouteTarget, Task> script, out ScriptedDestination flow)
    {
        var kit = new CallTestKit();
        kit.Router.Routes["8000"] = new RouteDecision(new RouteTarget(RouteTargetKind.Queue, "8000"), [], true);
        flow = new ScriptedDestination(script);
        kit.Calls.RegisterDestination(RouteTargetKind.Queue, flow);
        return kit;
    }

    [Fact]
    public async Task Ring_all_rings_every_agent_and_the_first_answer_wins()
    {
        ConnectResult? result = null;
        await using var kit = Kit(async (call, _) =>
        {
            await call.AnswerAsync();
            result = await call.ConnectAnyAsync([new RouteTarget(RouteTargetKind.Extension, "1003"), new RouteTarget(RouteTargetKind.Extension, "1004"),
                new RouteTarget(RouteTargetKind.Extension, "1005")], new ConnectOptions(TimeSpan.FromSeconds(20)));
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        var a3 = kit.Phone("1003", 5063);
        var a4 = kit.Phone("1004", 5064);
        kit.Bind(a3);
        kit.Bind(a4); // 1005 is not logged in anywhere: skipped, not a failure
        await citizen.Call("8000");
        citizen.Ack(await citizen.ExpectResponse(200));
        var i3 = await a3.ExpectRequest(SipMethod.Invite);
        var i4 = await a4.ExpectRequest(SipMethod.Invite);
        a3.Respond(i3, 180);
        a4.Respond(i4, 180);
        a4.Respond(i4, 200, FakeLeg.Sdp("a4", 17000));
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(new ConnectResult(ConnectOutcome.Answered, 200, "1004"), result);
        await a3.ExpectRequest(SipMethod.Cancel);
    }

    [Fact]
    public async Task Outside_numbers_ring_together_through_their_trunks_and_the_one_who_presses_the_key_is_connected()
    {
        ConnectResult? result = null;
        await using var kit = Kit(async (call, _) =>
        {
            await call.AnswerAsync();
            result = await call.ConnectAnyAsync([new RouteTarget(RouteTargetKind.External, "13800000001"), new RouteTarget(RouteTargetKind.External, "13800000002"),
                new RouteTarget(RouteTargetKind.External, "110")], new ConnectOptions(TimeSpan.FromSeconds(30), AcceptDigit: '1', AcceptPrompt: "press1.wav"));
        }, out var flow);
        var mobile = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.9.0.1"), 5060);
        var fixedLine = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("10.9.0.2"), 5060);
        kit.Trunks.Trunks["mobile"] = mobile;
        kit.Trunks.Trunks["fixed"] = fixedLine;
        kit.Router.Routes["13800000001"] = new RouteDecision(new RouteTarget(RouteTargetKind.External, "13800000001"), [new TrunkAttempt("mobile", "13800000001", "12345")], true);
        kit.Router.Routes["13800000002"] = new RouteDecision(new RouteTarget(RouteTargetKind.External, "13800000002"), [new TrunkAttempt("fixed", "13800000002", "12345")], true);
        kit.Router.Routes["110"] = new RouteDecision(new RouteTarget(RouteTargetKind.External, "110"), [], true, RejectStatus: 403, RejectReason: "not allowed");
        var citizen = kit.Phone("1001", 5062);
        var first = new Phone(kit, "pstn", mobile);
        var second = new Phone(kit, "pstn", fixedLine);
        await citizen.Call("8000");
        var ok = await citizen.ExpectResponse(200);
        citizen.Ack(ok);

        // Both numbers are dialled at once, each through its own route's trunk; the refused one is left out.
        var i1 = await first.ExpectRequest(SipMethod.Invite);
        var i2 = await second.ExpectRequest(SipMethod.Invite);
        Assert.Equal("sip:13800000001@10.9.0.1:5060", i1.RequestUriText);
        Assert.Equal("sip:13800000002@10.9.0.2:5060", i2.RequestUriText);
        first.Respond(i1, 180);
        second.Respond(i2, 180);
        second.Respond(i2, 200, FakeLeg.Sdp("fixed", 30000));
        await second.ExpectRequest(SipMethod.Ack);
        first.Respond(await first.ExpectRequest(SipMethod.Cancel), 200);
        first.Respond(i1, 487);
        await CallTestKit.Until(() => kit.Media.Leg("/B").Events.Contains("prompts:press1.wav"), "accept prompt");
        Assert.Null(result); // not connected before the key
        kit.Media.Leg("/B").RaiseDtmf('1');
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ConnectOutcome.Answered, result!.Outcome);
        await CallTestKit.Until(() => kit.Trunks.Leased == 1, "lease of the cancelled number returned");
        citizen.InDialog(SipMethod.Bye, ok, weAreCaller: true);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        Assert.True(kit.Cdrs.Search(new CdrQuery())[0].FollowMe); // the cancelled number's trunk was given back; the answered one is in use
    }

    [Fact]
    public async Task Withdrawing_a_connect_cancels_the_ringing_phone()
    {
        var withdrawn = false;
        await using var kit = Kit(async (call, _) =>
        {
            await call.AnswerAsync();
            using var cts = new CancellationTokenSource();
            var ring = call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, "1003"), new ConnectOptions(TimeSpan.FromSeconds(60)), cts.Token);
            await Task.Delay(200);
            cts.Cancel();
            try { await ring; } catch (OperationCanceledException) { withdrawn = true; }
            await call.HangupAsync();
        }, out var flow);
        var citizen = kit.Phone("1001", 5062);
        var agent = kit.Phone("1003", 5063);
        kit.Bind(agent);
        await citizen.Call("8000");
        citizen.Ack(await citizen.ExpectResponse(200));
        agent.Respond(await agent.ExpectRequest(SipMethod.Invite), 180);
        await agent.ExpectRequest(SipMethod.Cancel);
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(withdrawn);
    }
}
