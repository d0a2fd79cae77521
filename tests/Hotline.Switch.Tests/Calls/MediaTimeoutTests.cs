using Hotline.Switch.Cdrs;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Calls;

/// <summary>The RTP inactivity timeout: an answered call whose party went silent (no RTP, no RTCP) is hung up.</summary>
public class MediaTimeoutTests
{
    private static async Task<(CallTestKit Kit, Phone Alice, Phone Bob, SipMessage Ok)> Connected(Action<Hotline.Switch.Calls.CallOptions>? configure = null)
    {
        var kit = new CallTestKit();
        configure?.Invoke(kit.Options);
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var (_, ok) = await CallTestKit.Connect(kit, alice, bob);
        return (kit, alice, bob, ok);
    }

    [Fact]
    public async Task A_callee_that_stops_sending_is_hung_up_after_the_timeout_with_a_reason_both_sides_see()
    {
        var (kit, alice, bob, _) = await Connected();
        await using var _ = kit;
        await kit.Advance(30);
        kit.Media.Leg("/B").Silent = true; // bob's phone loses power
        // Checks come every 15 s (a quarter of the timeout); the fake's last packet is the last check's read,
        // so silence counts from up to 15 s before this point and is noticed up to 15 s after the 60 s.
        await kit.Advance(40);
        Assert.DoesNotContain(alice.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);

        await kit.Advance(40);
        var bye = await alice.ExpectRequest(SipMethod.Bye);
        Assert.Contains("RTP timeout", bye.GetHeader(HeaderId.Reason));
        var toBob = await bob.ExpectRequest(SipMethod.Bye);
        bob.Respond(toBob, 200);
        await CallTestKit.Until(() => kit.Cdrs.Count(new CdrQuery()) == 1, "CDR");
        var cdr = kit.Cdrs.Search(new CdrQuery())[0];
        Assert.Equal(HangupSide.System, cdr.HangupSide);
        Assert.Contains("RTP timeout", cdr.HangupCause);
        Assert.InRange(cdr.BillableSeconds, 75, 111);
        Assert.Equal(1, kit.Calls.RtpTimeouts);
        Assert.Equal(0, kit.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Parties_that_keep_sending_stay_up()
    {
        var (kit, alice, bob, _) = await Connected();
        await using var _ = kit;
        await kit.Advance(300);
        Assert.DoesNotContain(alice.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);
        Assert.DoesNotContain(bob.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);
        Assert.Equal(1, kit.Calls.ActiveCalls);
        Assert.Equal(0, kit.Calls.RtpTimeouts);
    }

    [Fact]
    public async Task A_silent_caller_on_hold_is_left_alone_by_default_and_its_silence_restarts_when_it_resumes()
    {
        var (kit, alice, bob, ok) = await Connected();
        await using var _ = kit;
        alice.InDialog(SipMethod.Invite, ok, weAreCaller: true, sdp: FakeLeg.Sdp("phone1001", 16000, "sendonly"));
        alice.Ack(await alice.ExpectResponse(200));
        kit.Media.Leg("/A").Silent = true; // many phones send nothing while they hold
        await kit.Advance(600);
        Assert.DoesNotContain(bob.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);

        alice.InDialog(SipMethod.Invite, ok, weAreCaller: true, sdp: FakeLeg.Sdp("phone1001", 16000));
        alice.Ack(await alice.ExpectResponse(200));
        await kit.Advance(40); // ten minutes of held silence do not count against the resumed call
        Assert.DoesNotContain(bob.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);
        await kit.Advance(55); // but a resumed phone that still sends nothing is gone
        await bob.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task The_hold_timeout_when_configured_ends_a_hold_whose_phone_went_silent()
    {
        var (kit, alice, bob, ok) = await Connected(o => o.RtpHoldTimeoutSeconds = 120);
        await using var _ = kit;
        alice.InDialog(SipMethod.Invite, ok, weAreCaller: true, sdp: FakeLeg.Sdp("phone1001", 16000, "inactive"));
        alice.Ack(await alice.ExpectResponse(200));
        kit.Media.Leg("/A").Silent = true;
        await kit.Advance(100);
        Assert.DoesNotContain(bob.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);
        await kit.Advance(60);
        await bob.ExpectRequest(SipMethod.Bye);
        await alice.ExpectRequest(SipMethod.Bye);
    }

    [Fact]
    public async Task A_timeout_of_zero_turns_the_check_off()
    {
        var (kit, alice, _, _) = await Connected(o => o.RtpTimeoutSeconds = 0);
        await using var _ = kit;
        kit.Media.Leg("/B").Silent = true;
        kit.Media.Leg("/A").Silent = true;
        await kit.Advance(600);
        Assert.DoesNotContain(alice.NewMessages(), m => m.IsRequest && m.Method == SipMethod.Bye);
        Assert.Equal(1, kit.Calls.ActiveCalls);
    }
}
