using Hotline.Switch.Calls;
using Hotline.Switch.Sip;
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

    private static int Refused(OverloadControl control, int attempts) =>
        Enumerable.Range(0, attempts).Count(_ => !control.TryAdmit(out string _));

    [Fact]
    public void Below_half_the_target_delay_every_call_is_admitted()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        Settle(control, 40);
        Assert.Equal(0, Refused(control, 1000));
        Assert.Equal(0, control.Rejected);
    }

    [Fact]
    public void Between_half_and_twice_the_target_a_growing_share_is_refused()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        Settle(control, 125); // (125 - 50) / (200 - 50): half the new calls
        Assert.InRange(Refused(control, 2000), 900, 1100);
        Settle(control, 80); // a fifth
        Assert.InRange(Refused(control, 2000), 300, 500);
    }

    [Fact]
    public void At_twice_the_target_every_new_call_is_refused_as_overloaded_and_counted()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        Settle(control, 400);
        Assert.False(control.TryAdmit(out var refusal));
        Assert.Equal("Overloaded", refusal);
        Assert.Equal(500, Refused(control, 500));
        Assert.Equal(501, control.Rejected);
        Assert.InRange(control.QueueDelay.TotalMilliseconds, 399, 400);
    }

    [Fact]
    public void The_delay_is_smoothed_so_one_slow_sample_sheds_nothing_and_recovery_admits_again()
    {
        using var control = Control(new CallOptions { OverloadQueueDelayMs = 100 });
        control.Observe(TimeSpan.FromMilliseconds(150)); // one GC pause or a descheduled thread
        Assert.Equal(0, Refused(control, 1000));
        Settle(control, 1000);
        Assert.Equal(100, Refused(control, 100));
        Settle(control, 5);
        Assert.Equal(0, Refused(control, 1000));
    }

    [Fact]
    public void The_concurrent_call_limit_refuses_at_the_limit_whatever_the_delay()
    {
        int active = 4;
        using var control = Control(new CallOptions { MaxConcurrentCalls = 5, OverloadQueueDelayMs = 0 }, () => active);
        Assert.True(control.TryAdmit(out _));
        active = 5;
        Assert.False(control.TryAdmit(out var refusal));
        Assert.Equal("Too Many Calls", refusal);
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
