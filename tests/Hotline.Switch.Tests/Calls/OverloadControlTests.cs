using Hotline.Switch.Calls;
using Hotline.Switch.Sip;
using Hotline.Switch.Tests.Sip;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Overload control: new calls shed with 503 as the switch falls behind, calls already up served.</summary>
public class OverloadControlTests
{
    private static OverloadControl Control(CallOptions options, Func<int>? active = null) =>
        new(options, TimeProvider.System, active ?? (() => 0), NullLogger.Instance, new Random(7), probe: false);

    private static void Settle(OverloadControl control, double delayMs)
    {
        for (int i = 0; i < 100; i++) control.Observe(TimeSpan.FromMilliseconds(delayMs));
    }

    private static readonly SipMessage s_invite = Invite("1002");

    private static SipMessage Invite(string user) =>
        SipParser.Parse(SampleMessages.Bytes(SampleMessages.Invite.Replace("INVITE sip:1002@", $"INVITE sip:{user}@")), out _)!;

    private static int Refused(OverloadControl control, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => !control.TryAdmit(s_invite, out string _));

    [Fact]
    public void Below_half_the_target_delay_every_call_is_admitted()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        Settle(control, 40);
        Assert.Equal(0, Refused(control, 1000));
        Assert.Equal(0, control.Rejected);
    }

    [Fact]
    public void Above_the_target_the_refused_share_grows_step_by_step_until_every_new_call_is_refused_and_counted()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        control.Observe(TimeSpan.FromMilliseconds(1000)); // smoothed to 250 ms: one step of 5 points
        Assert.InRange(Refused(control, 4000), 120, 280);
        Settle(control, 400);
        Assert.Equal(1.0, control.RefusedShare);
        Assert.False(control.TryAdmit(s_invite, out var refusal));
        Assert.Equal("Overloaded", refusal);
        Assert.Equal(500, Refused(control, 500));
        Assert.InRange(control.QueueDelay.TotalMilliseconds, 399, 400);
        Assert.True(control.Rejected >= 501);
    }

    [Fact]
    public void A_single_slow_sample_below_the_target_after_smoothing_refuses_nothing()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        control.Observe(TimeSpan.FromMilliseconds(350)); // one GC pause or a descheduled thread: smoothed to 87 ms
        Assert.Equal(0, Refused(control, 1000));
    }

    [Fact]
    public void Recovery_is_gradual_the_share_holds_between_half_and_the_target_and_falls_below_half()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        Settle(control, 400);
        // 20 samples (1 s) at 10 ms: the smoothed delay is above 100 ms for 5, between 50 and 100 ms for 2
        // (the share holds), then below 50 ms for 13, each taking 2 points: 74 % still refused.
        for (int i = 0; i < 20; i++) control.Observe(TimeSpan.FromMilliseconds(10));
        Assert.InRange(control.RefusedShare, 0.73, 0.75);
        Assert.InRange(Refused(control, 2000), 1380, 1580);
        Settle(control, 10);
        Assert.Equal(0, Refused(control, 1000));
    }

    [Fact]
    public void A_backlog_in_the_sockets_receive_queue_counts_as_overload_whatever_the_thread_pool_says()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        double? fill = 0.5; // an eighth is where it starts to count
        using var control = new OverloadControl(new CallOptions { OverloadQueueDelayMs = 100 }, time, () => 0, NullLogger.Instance,
            new Random(7), receiveQueueFill: () => fill);
        for (int i = 0; i < 25; i++) time.Advance(TimeSpan.FromMilliseconds(50)); // samples: no probe is ever queued
        Assert.Equal(1.0, control.RefusedShare, 3);
        Assert.InRange(control.QueueDelay.TotalMilliseconds, 190, 200);

        fill = 0.01;
        for (int i = 0; i < 20; i++) control.Observe(TimeSpan.FromMilliseconds(5)); // the thread pool's samples, the backlog gone
        Assert.True(control.RefusedShare < 1.0);
    }

    [Fact]
    public void The_concurrent_call_limit_refuses_at_the_limit_whatever_the_delay()
    {
        int active = 4;
        using var control = Control(new CallOptions { MaxConcurrentCalls = 5, OverloadQueueDelayMs = 0 }, () => active);
        Assert.True(control.TryAdmit(s_invite, out _));
        active = 5;
        Assert.False(control.TryAdmit(s_invite, out var refusal));
        Assert.Equal("Too Many Calls", refusal);
    }

    [Fact]
    public void Emergency_calls_are_never_refused_by_overload_or_by_the_call_limit()
    {
        using var control = new OverloadControl(new CallOptions { OverloadQueueDelayMs = 100, MaxConcurrentCalls = 5 }, TimeProvider.System, () => 5,
            NullLogger.Instance, new Random(7), probe: false, exempt: number => number is "110" or "120");
        Settle(control, 1000);
        Assert.False(control.TryAdmit(s_invite, out _));
        Assert.True(control.TryAdmit(Invite("110"), out var refusal), refusal);
        Assert.True(control.TryAdmit(Invite("120"), out _));
        Assert.Equal(1, control.Rejected);
    }

    [Fact]
    public void Zero_turns_delay_based_shedding_off()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 0 });
        Settle(control, 5000);
        Assert.Equal(0, Refused(control, 100));
    }

    [Fact]
    public async Task An_overloaded_switch_answers_new_INVITEs_503_before_challenging_them_and_still_ends_calls_in_progress()
    {
        await using var kit = new CallTestKit();
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);
        var (_, ok) = await CallTestKit.Connect(kit, alice, bob);
        using var overload = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        kit.Core.Admission = overload;
        Settle(overload, 1000);

        var carol = kit.Phone("1003", 5066);
        carol.SendInvite("1001");
        var refused = await carol.Expect(m => m.IsResponse && m.StatusCode >= 300, "a final response");
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal("Overloaded", refused.ReasonText);
        Assert.Null(refused.GetHeader(HeaderId.RetryAfter)); // a carrier must not write the whole switch off
        Assert.DoesNotContain(carol.NewMessages(), m => m.StatusCode == 407);

        alice.InDialog(SipMethod.Bye, ok, weAreCaller: true);
        await alice.ExpectResponse(200);
        await bob.ExpectRequest(SipMethod.Bye);
    }
}
