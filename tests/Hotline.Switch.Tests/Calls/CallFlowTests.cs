using System.Net;
using Hotline.Switch.Calls;
using Hotline.Switch.Tests.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Calls;

public class CallFlowTests
{
    [Fact]
    public async Task Extension_to_extension_call_is_bridged_recorded_and_leaves_a_CDR()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var (invite, ok) = await CallTestKit.Connect(kit, alice, bob);

        Assert.Equal($"sip:1002@{bob.Address}", invite.RequestUriText);
        Assert.Contains("sip:1001@hotline", invite.Text(invite.From.Value));
        Assert.Equal("application/sdp", ok.Text(ok.ContentType));
        var bridge = Assert.Single(kit.Media.Bridges, b => b.RecordingPath is not null);
        Assert.Matches(@"recordings/2031/07/01/.+\.wav$", bridge.RecordingPath!.Replace('\\', '/'));
        Assert.Equal("play:Ringback", kit.Media.Leg("/A").Events.First(e => e.StartsWith("play")));
        Assert.Null(kit.Media.Leg("/A").Playing); // ringback stopped at answer
        // Routed straight to a party, no flow reads the caller's keys: no leg listens (no in-band detector).
        Assert.All(kit.Media.Legs, l => Assert.False(l.ListensForDigits));
        Assert.Same(kit.Media.Leg("/A"), kit.Media.Leg("/B").Near); // bridged where it was made: nothing moves at the answer

        await kit.Advance(42);
        alice.InDialog(SipMethod.Bye, ok, weAreCaller: true);
        await alice.ExpectResponse(200);
        var bye = await bob.ExpectRequest(SipMethod.Bye);
        bob.Respond(bye, 200);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        var cdr = kit.Cdrs.Search(new CdrQuery())[0];
        Assert.Equal("1001", cdr.Caller);
        Assert.Equal("1002", cdr.Callee);
        Assert.Equal("1002", cdr.Extension);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupSide.Caller, cdr.HangupSide);
        Assert.InRange(cdr.BillableSeconds, 42, 43);
        Assert.Equal(bridge.RecordingPath, cdr.RecordingPath);
        Assert.Equal(2, cdr.Legs.Count);
        Assert.Equal(0, kit.Calls.ActiveCalls);
        Assert.All(kit.Media.Legs, l => Assert.True(l.Disposed));
    }

    [Fact]
    public async Task Callee_hanging_up_ends_the_call_for_the_caller()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var (invite, _) = await CallTestKit.Connect(kit, alice, bob);
        var okToCallee = kit.SentTo(bob.Address).Last(m => m.IsRequest && m.Method == SipMethod.Ack);
        bob.InDialog(SipMethod.Bye, invite, weAreCaller: false, extra: $"");
        await bob.ExpectResponse(200);
        await alice.ExpectRequest(SipMethod.Bye);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        Assert.Equal(HangupSide.Callee, kit.Cdrs.Search(new CdrQuery())[0].HangupSide);
        Assert.NotNull(okToCallee);
    }

    [Fact]
    public async Task All_contacts_ring_first_answer_wins_and_the_others_are_cancelled()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var desk = kit.Phone("1002", 5064);
        var soft = kit.Phone("1002", 5066);
        kit.Bind(desk);
        kit.Bind(soft);
        await alice.Call("1002");
        var deskInvite = await desk.ExpectRequest(SipMethod.Invite);
        var softInvite = await soft.ExpectRequest(SipMethod.Invite);
        Assert.NotEqual(deskInvite.CallId, softInvite.CallId);
        desk.Respond(deskInvite, 180);
        soft.Respond(softInvite, 180);
        soft.Respond(softInvite, 200, FakeLeg.Sdp("soft", 17000));
        await soft.ExpectRequest(SipMethod.Ack);
        var cancel = await desk.ExpectRequest(SipMethod.Cancel);
        Assert.Contains("Call completed elsewhere", cancel.GetHeader(HeaderId.Reason));
        desk.Respond(cancel, 200);
        desk.Respond(deskInvite, 487);
        await alice.ExpectResponse(200);
    }

    [Fact]
    public async Task A_late_second_answer_is_acknowledged_and_released()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var a = kit.Phone("1002", 5064);
        var b = kit.Phone("1002", 5066);
        kit.Bind(a);
        kit.Bind(b);
        await alice.Call("1002");
        var ia = await a.ExpectRequest(SipMethod.Invite);
        var ib = await b.ExpectRequest(SipMethod.Invite);
        a.Respond(ia, 200, FakeLeg.Sdp("a", 17000));
        await a.ExpectRequest(SipMethod.Ack);
        b.Respond(ib, 200, FakeLeg.Sdp("b", 17002));
        await b.ExpectRequest(SipMethod.Ack);
        var bye = await b.ExpectRequest(SipMethod.Bye);
        Assert.Contains("completed elsewhere", bye.GetHeader(HeaderId.Reason));
    }

    [Fact]
    public async Task Caller_cancelling_gets_487_and_the_callee_a_CANCEL()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var invite = await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 180);
        await alice.ExpectResponse(180);
        alice.Cancel(invite);
        await alice.ExpectResponse(487);
        await bob.ExpectRequest(SipMethod.Cancel);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        var cdr = kit.Cdrs.Search(new CdrQuery())[0];
        Assert.Equal(CallDisposition.Cancelled, cdr.Disposition);
        Assert.Null(cdr.Answer);
        Assert.Equal(0, cdr.BillableSeconds);
    }

    [Fact]
    public async Task Busy_callee_plays_busy_tone_then_486()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 486);
        await bob.ExpectRequest(SipMethod.Ack);
        var progress = await alice.ExpectResponse(183);
        Assert.True(progress.Body.Length > 0);
        await CallTestKit.Until(() => kit.Media.Leg("/A").Playing == CallSound.Busy, "busy tone");
        Assert.DoesNotContain(alice.NewMessages(), m => m.StatusCode == 486);
        await kit.Advance(3.1);
        await alice.ExpectResponse(486);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        Assert.Equal(CallDisposition.Busy, kit.Cdrs.Search(new CdrQuery())[0].Disposition);
    }

    [Fact]
    public async Task Unanswered_call_times_out_with_480_and_the_fork_is_cancelled()
    {
        await using var kit = new CallTestKit();
        kit.Options.NoAnswerSeconds = 20;
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 180);
        await kit.Advance(19);
        Assert.DoesNotContain(alice.NewMessages(), m => m.StatusCode == 480);
        await kit.Advance(1.5);
        await alice.ExpectResponse(480);
        await bob.ExpectRequest(SipMethod.Cancel);
    }

    [Fact]
    public async Task Unregistered_extension_gets_480_and_unknown_number_404()
    {
        await using var kit = new CallTestKit();
        kit.Options.FailureToneSeconds = 0;
        var alice = kit.Phone("1001", 5062);
        await alice.Call("1002");
        await alice.ExpectResponse(480);
        await alice.Call("5555");
        await alice.ExpectResponse(404);
    }

    [Fact]
    public async Task No_common_codec_is_488()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        kit.Bind(kit.Phone("1002", 5064));
        await alice.Call("1002", sdp: "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n");
        var r = await alice.ExpectResponse(488);
        Assert.StartsWith("305", r.GetHeader(HeaderId.Warning));
    }

    [Fact]
    public async Task Hold_plays_music_to_the_other_party_and_resume_stops_it()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var (_, ok) = await CallTestKit.Connect(kit, alice, bob);
        alice.InDialog(SipMethod.Invite, ok, weAreCaller: true, sdp: FakeLeg.Sdp("phone1001", 16000, "sendonly"));
        var holdOk = await alice.ExpectResponse(200);
        Assert.Contains("a=recvonly", holdOk.BodyText);
        alice.Ack(holdOk);
        await CallTestKit.Until(() => kit.Media.Leg("/B").Playing == CallSound.MusicOnHold, "music on hold");
        alice.InDialog(SipMethod.Invite, ok, weAreCaller: true, sdp: FakeLeg.Sdp("phone1001", 16000));
        var resumeOk = await alice.ExpectResponse(200);
        alice.Ack(resumeOk);
        await CallTestKit.Until(() => kit.Media.Leg("/B").Playing is null, "music stopped");
        Assert.DoesNotContain(bob.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Invite); // media is anchored: B never re-INVITEd
    }

    [Fact]
    public async Task Missing_ACK_ends_the_call_after_64_T1()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 200, FakeLeg.Sdp("callee", 17000));
        await alice.ExpectResponse(200);
        await kit.Advance(10);
        Assert.True(kit.SentTo(alice.Address).Count(m => m.StatusCode == 200) >= 4); // 2xx retransmitted
        await kit.Advance(23);
        await bob.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task Session_timer_without_refresh_hangs_up_both_sides()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002", extra: "Supported: timer\r\nSession-Expires: 120\r\n");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        Assert.Equal("1800", toBob.GetHeader(HeaderId.SessionExpires));
        bob.Respond(toBob, 200, FakeLeg.Sdp("callee", 17000));
        var ok = await alice.ExpectResponse(200);
        Assert.Equal("120;refresher=uac", ok.GetHeader(HeaderId.SessionExpires));
        Assert.Equal("timer", ok.GetHeader(HeaderId.Require));
        alice.Ack(ok);
        await kit.Advance(60);
        alice.InDialog(SipMethod.Update, ok, weAreCaller: true, extra: "Session-Expires: 120;refresher=uac\r\nSupported: timer\r\n");
        await alice.ExpectResponse(200);
        await kit.Advance(70);
        Assert.DoesNotContain(bob.NewMessages(), m => m.Method == SipMethod.Bye);
        await kit.Advance(20);
        await alice.ExpectRequest(SipMethod.Bye);
        await bob.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task Too_short_session_interval_is_refused_with_422()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        kit.Bind(kit.Phone("1002", 5064));
        await alice.Call("1002", extra: "Supported: timer\r\nSession-Expires: 30\r\n");
        var r = await alice.ExpectResponse(422);
        Assert.Equal("90", r.GetHeader(HeaderId.MinSE));
    }

    [Fact]
    public async Task Reliable_provisionals_from_the_callee_are_PRACKed()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        Assert.Contains("100rel", toBob.GetHeader(HeaderId.Supported));
        bob.Respond(toBob, 183, FakeLeg.Sdp("callee", 17000), extra: "Require: 100rel\r\nRSeq: 7\r\n");
        var prack = await bob.ExpectRequest(SipMethod.Prack);
        Assert.Equal($"7 {toBob.CSeq.Number} INVITE", prack.GetHeader(HeaderId.RAck));
        var early = await alice.ExpectResponse(183);
        Assert.True(early.Body.Length > 0); // early media reaches the caller
    }

    [Fact]
    public async Task Caller_requiring_100rel_gets_reliable_provisionals_retransmitted_until_PRACK()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002", extra: "Require: 100rel\r\n");
        var toBob = await bob.ExpectRequest(SipMethod.Invite);
        bob.Respond(toBob, 180);
        var ringing = await alice.ExpectResponse(180);
        Assert.Equal("100rel", ringing.GetHeader(HeaderId.Require));
        Assert.Equal("1", ringing.GetHeader(HeaderId.RSeq));
        await kit.Advance(1.6);
        Assert.True(kit.SentTo(alice.Address).Count(m => m.StatusCode == 180) >= 2);
        alice.InDialog(SipMethod.Prack, ringing, weAreCaller: true, extra: $"RAck: 1 {ringing.CSeq.Number} INVITE\r\n");
        await alice.ExpectResponse(200);
        var count = kit.SentTo(alice.Address).Count(m => m.StatusCode == 180);
        await kit.Advance(5);
        Assert.Equal(count, kit.SentTo(alice.Address).Count(m => m.StatusCode == 180));
    }

    [Fact]
    public async Task Blind_transfer_connects_the_caller_to_the_new_target_and_reports_by_NOTIFY()
    {
        await using var kit = new CallTestKit();
        var citizen = kit.Phone("1001", 5062);
        var agent = kit.Phone("1002", 5064);
        var expert = kit.Phone("1003", 5068);
        kit.Bind(agent);
        kit.Bind(expert);
        var (toAgent, _) = await CallTestKit.Connect(kit, citizen, agent);
        agent.InDialog(SipMethod.Refer, toAgent, weAreCaller: false, extra: "Refer-To: <sip:1003@hotline>\r\nReferred-By: <sip:1002@hotline>\r\n");
        await agent.ExpectResponse(202);
        var trying = await agent.ExpectRequest(SipMethod.Notify);
        Assert.Equal("SIP/2.0 100 Trying\r\n", trying.BodyText);
        agent.Respond(trying, 200);
        var toExpert = await expert.ExpectRequest(SipMethod.Invite);
        Assert.Contains("sip:1001@hotline", toExpert.Text(toExpert.From.Value)); // the expert sees the citizen, not the agent
        expert.Respond(toExpert, 200, FakeLeg.Sdp("expert", 17010));
        await expert.ExpectRequest(SipMethod.Ack);
        var done = await agent.Expect(m => m.Method == SipMethod.Notify && m.BodyText.Contains("200 OK"), "NOTIFY 200");
        Assert.StartsWith("terminated", done.GetHeader(HeaderId.SubscriptionState));
        await CallTestKit.Until(() => kit.Media.Bridges.Any(b => b.CalleeLeg.Label.EndsWith("/T")), "bridge to the expert");
        await kit.Advance(3);
        await agent.ExpectRequest(SipMethod.Bye);
        Assert.Equal(1, kit.Calls.ActiveCalls);
        Assert.DoesNotContain(citizen.NewMessages(), m => m.Method == SipMethod.Bye);
    }

    [Fact]
    public async Task Trunk_failure_moves_to_the_next_trunk()
    {
        await using var kit = new CallTestKit();
        var first = new IPEndPoint(IPAddress.Parse("10.9.0.1"), 5060);
        var second = new IPEndPoint(IPAddress.Parse("10.9.0.2"), 5060);
        kit.Trunks.Trunks["primary"] = first;
        kit.Trunks.Trunks["backup"] = second;
        kit.Router.Routes["9013800138000"] = new RouteDecision(new RouteTarget(RouteTargetKind.External, "013800138000"),
            [new TrunkAttempt("primary", "013800138000", "02566668888"), new TrunkAttempt("backup", "013800138000", "02566668888")], true);
        var alice = kit.Phone("1001", 5062);
        var p = new Phone(kit, "pstn", first);
        var b = new Phone(kit, "pstn", second);
        await alice.Call("9013800138000");
        var i1 = await p.ExpectRequest(SipMethod.Invite);
        Assert.Equal("sip:013800138000@10.9.0.1:5060", i1.RequestUriText);
        p.Respond(i1, 503);
        var i2 = await b.ExpectRequest(SipMethod.Invite);
        b.Respond(i2, 407, extra: "Proxy-Authenticate: Digest realm=\"carrier\", nonce=\"abc\", qop=\"auth\"\r\n");
        var i3 = await b.ExpectRequest(SipMethod.Invite);
        Assert.Contains("username=\"trunkuser\"", i3.GetHeader(HeaderId.ProxyAuthorization));
        b.Respond(i3, 200, FakeLeg.Sdp("pstn", 30000));
        await alice.ExpectResponse(200);
        Assert.Equal(1, kit.Trunks.Leased);
    }

    [Fact]
    public async Task Inbound_trunk_call_to_a_DID_rings_the_extension()
    {
        await using var kit = new CallTestKit();
        var carrier = new IPEndPoint(IPAddress.Parse("10.9.0.1"), 5060);
        kit.Trunks.Trunks["pstn"] = carrier;
        kit.Router.Routes["12345"] = new RouteDecision(new RouteTarget(RouteTargetKind.Extension, "1001"), [], true);
        var agent = kit.Phone("1001", 5062);
        kit.Bind(agent);
        var w = SipMessageWriter.Request(SipMethod.Invite, "sip:12345@hotline");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP {carrier};branch={SipIds.NewBranch()}").Header(HeaderId.MaxForwards, 70)
            .Header(HeaderId.From, "<sip:13912345678@carrier>;tag=c1").Header(HeaderId.To, "<sip:12345@hotline>")
            .Header(HeaderId.CallId, "inbound-1@carrier").Header(HeaderId.CSeq, "1 INVITE").Header(HeaderId.Contact, $"<sip:13912345678@{carrier}>")
            .Header(HeaderId.PAssertedIdentity, "<tel:13912345678>");
        kit.Receive(w.Body(FakeLeg.Sdp("carrier", 30000), "application/sdp").ToMessage(), carrier);
        var toAgent = await agent.ExpectRequest(SipMethod.Invite);
        Assert.Contains("13912345678", toAgent.Text(toAgent.From.Value));
        var request = Assert.Single(kit.Router.Requests);
        Assert.Equal("pstn", request.Trunk);
        Assert.Null(request.CallerExtension);
    }

    [Fact]
    public async Task No_media_ports_is_503()
    {
        await using var kit = new CallTestKit();
        kit.Media.Exhausted = true;
        var alice = kit.Phone("1001", 5062);
        await alice.Call("1002");
        var r = await alice.ExpectResponse(503);
        Assert.NotNull(r.GetHeader(HeaderId.RetryAfter));
    }

    [Fact]
    public async Task Ports_running_out_for_the_callee_end_the_call_with_503_and_free_the_callers_leg()
    {
        await using var kit = new CallTestKit();
        kit.Media.PortsLeft = 1; // the caller's leg, then nothing
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        await alice.Call("1002");
        alice.Ack(await alice.ExpectResponse(503));
        await CallTestKit.Until(() => kit.Calls.ActiveCalls == 0, "call ended");
        Assert.True(kit.Media.Leg("/A").Disposed);
        Assert.DoesNotContain(kit.SentTo(bob.Address), m => m.Method == SipMethod.Invite);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        Assert.Equal(CallDisposition.Failed, kit.Cdrs.Search(new CdrQuery())[0].Disposition);
    }
}

public class AttendedTransferTests
{
    [Fact]
    public async Task Attended_transfer_joins_the_two_remote_parties()
    {
        await using var kit = new CallTestKit();
        var citizen = kit.Phone("1001", 5062);
        var agent = kit.Phone("1002", 5064);
        var expert = kit.Phone("1003", 5068);
        kit.Bind(agent);
        kit.Bind(expert);
        // Call 1: citizen -> agent.
        await citizen.Call("1002");
        var toAgent = await agent.ExpectRequest(SipMethod.Invite);
        agent.Respond(toAgent, 200, FakeLeg.Sdp("agent", 17000));
        var ok1 = await citizen.ExpectResponse(200);
        citizen.Ack(ok1);
        // Call 2: agent consults the expert.
        await agent.Call("1003");
        var toExpert = await expert.ExpectRequest(SipMethod.Invite);
        expert.Respond(toExpert, 200, FakeLeg.Sdp("expert", 17010));
        var ok2 = await agent.ExpectResponse(200);
        agent.Ack(ok2);
        Assert.Equal(2, kit.Calls.ActiveCalls);
        // The agent refers the citizen to the expert, replacing its own dialog with the expert (call 2 as the agent sees it).
        var replaces = Uri.EscapeDataString($"{ok2.CallId};to-tag={ok2.Text(ok2.To.Tag)};from-tag={ok2.Text(ok2.From.Tag)}");
        agent.InDialog(SipMethod.Refer, toAgent, weAreCaller: false, extra: $"Refer-To: <sip:1003@hotline?Replaces={replaces}>\r\n");
        await agent.ExpectResponse(202);
        await agent.Expect(m => m.Method == SipMethod.Notify && m.BodyText.Contains("200 OK"), "NOTIFY 200");
        await CallTestKit.Until(() => kit.Media.Bridges.Any(b => b.CallerLeg.Label.EndsWith("/A") && b.CalleeLeg.Label.EndsWith("/B") && b.CallerLeg != b.CalleeLeg
            && b.CalleeLeg.Label.StartsWith(ok2.CallId)), "citizen bridged with the expert");
        var byes = 0;
        await CallTestKit.Until(() => (byes = kit.SentTo(agent.Address).Count(m => m.Method == SipMethod.Bye)) >= 1, "BYE to the agent's consult leg");
        await kit.Advance(3);
        Assert.Equal(1, kit.Calls.ActiveCalls);
        Assert.DoesNotContain(kit.SentTo(expert.Address), m => m.Method is SipMethod.Bye or SipMethod.Invite && m != toExpert);
        Assert.DoesNotContain(kit.SentTo(citizen.Address), m => m.Method == SipMethod.Bye);

        // The joined call ends: every leg and fork of both calls leaves the manager's index, including the
        // expert's leg that moved from the consultation call into the citizen's.
        expert.InDialog(SipMethod.Bye, toExpert, weAreCaller: false);
        await CallTestKit.Until(() => kit.Calls.ActiveCalls == 0, "the joined call ended");
        await CallTestKit.Until(() => kit.Calls.IndexedDialogs == 0, "no dialog left indexed");
    }
}

public class LiveCallsTests
{
    [Fact]
    public async Task An_agents_call_is_found_by_party_and_transferred_by_command()
    {
        await using var kit = new CallTestKit();
        var live = new LiveCalls(kit.Calls, rooms: null);
        var citizen = kit.Phone("1001", 5062);
        var agent = kit.Phone("1002", 5064);
        var expert = kit.Phone("1003", 5068);
        kit.Bind(agent);
        kit.Bind(expert);
        await citizen.Call("1002");
        var toAgent = await agent.ExpectRequest(SipMethod.Invite);
        agent.Respond(toAgent, 200, FakeLeg.Sdp("agent", 17000));
        citizen.Ack(await citizen.ExpectResponse(200));
        await CallTestKit.Until(() => live.FindByParty("1002") is not null, "the agent's call");
        var call = live.FindByParty("1002")!;
        Assert.Equal(["1001", "1002"], call.Parties);
        Assert.NotNull(call.RecordingPath);
        Assert.Same(call.CallId, live.Find(call.CallId)!.CallId);
        Assert.Null(live.FindByParty("1003"));

        var transfer = live.TransferAsync(call.CallId, "1002", new RouteTarget(RouteTargetKind.Extension, "1003"));
        var toExpert = await expert.ExpectRequest(SipMethod.Invite);
        Assert.Contains("1001", toExpert.Text(toExpert.From.Value));
        expert.Respond(toExpert, 200, FakeLeg.Sdp("expert", 17010));
        Assert.True(await transfer.WaitAsync(TimeSpan.FromSeconds(10)));
        var bye = await agent.ExpectRequest(SipMethod.Bye);
        Assert.Contains("Transferred", bye.GetHeader(HeaderId.Reason));
        Assert.DoesNotContain(kit.SentTo(agent.Address), m => m.Method == SipMethod.Notify);
        await CallTestKit.Until(() => live.FindByParty("1003") is not null, "the call now with the expert");
        Assert.Equal(["1001", "1003"], live.FindByParty("1003")!.Parties);
        await Assert.ThrowsAsync<NotSupportedException>(() => live.MoveToRoomAsync(call.CallId, null!));
    }
}
