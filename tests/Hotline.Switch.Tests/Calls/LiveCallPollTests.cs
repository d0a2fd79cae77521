using Hotline.Switch.Api;
using Hotline.Switch.Auth;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Switch.Tests.Calls;

/// <summary>The monitor's look at the live calls every 500 ms: events on changes only, and no garbage when nothing changed.</summary>
public class LiveCallPollTests
{
    [Fact]
    public async Task A_call_starting_changing_state_and_ending_raises_CallsChanged_and_an_idle_poll_raises_nothing()
    {
        await using var kit = new CallTestKit();
        using var monitor = new SwitchMonitor(() => throw new InvalidOperationException("not asked"), kit.Bindings,
            new AuthFailureGuard(new SecurityOptions(), kit.Time), kit.Calls, kit.Time, NullLogger.Instance);
        var seen = new List<IReadOnlyList<LiveCallView>>();
        monitor.CallsChanged += calls => seen.Add(calls);
        var alice = kit.Phone("1001", 5062);
        var bob = kit.Phone("1002", 5064);
        kit.Bind(bob);

        await alice.Call(bob.Number);
        var invite = await bob.ExpectRequest(SipMethod.Invite);
        monitor.PollCalls();
        var ringing = Assert.Single(Assert.Single(seen));
        Assert.Equal("Ringing", ringing.State);
        Assert.Equal(1, monitor.Counters().CallsStarted);

        monitor.PollCalls();
        Assert.Single(seen); // nothing changed

        bob.Respond(invite, 200, FakeLeg.Sdp("callee", 17000));
        var ok = await alice.ExpectResponse(200);
        alice.Ack(ok);
        await CallTestKit.Until(() => kit.Calls.Snapshot().Single().State == Hotline.Switch.Calls.CallState.Answered, "answer");
        monitor.PollCalls();
        Assert.Equal(2, seen.Count);
        Assert.Equal("Answered", Assert.Single(seen[1]).State);
        Assert.Equal(1, monitor.Counters().CallsStarted); // the same call, not a new one

        alice.InDialog(SipMethod.Bye, ok, weAreCaller: true);
        await alice.ExpectResponse(200);
        bob.Respond(await bob.ExpectRequest(SipMethod.Bye), 200);
        await CallTestKit.Until(() => kit.Calls.ActiveCalls == 0, "call ended");
        monitor.PollCalls();
        Assert.Equal(3, seen.Count);
        Assert.Empty(seen[2]);
    }

    [Fact]
    public async Task Polling_calls_that_did_not_change_allocates_next_to_nothing()
    {
        await using var kit = new CallTestKit();
        using var monitor = new SwitchMonitor(() => throw new InvalidOperationException("not asked"), kit.Bindings,
            new AuthFailureGuard(new SecurityOptions(), kit.Time), kit.Calls, kit.Time, NullLogger.Instance);
        monitor.CallsChanged += _ => { };
        for (int i = 0; i < 3; i++)
        {
            var caller = kit.Phone($"100{i + 1}", 5062 + 2 * i);
            var callee = kit.Phone("1005", 5070 + 2 * i);
            kit.Bind(callee);
            await caller.Call(callee.Number);
            await callee.ExpectRequest(SipMethod.Invite);
        }
        await CallTestKit.Until(() => kit.Calls.ActiveCalls == 3, "three calls ringing");
        monitor.PollCalls();
        monitor.PollCalls();

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) monitor.PollCalls();
        long perPoll = (GC.GetAllocatedBytesForCurrentThread() - before) / 100;

        // Building the three calls' views and their legs' statistics took kilobytes per poll; walking
        // the calls costs an enumerator or two.
        Assert.True(perPoll < 256, $"{perPoll} bytes per idle poll");
        Assert.Equal(3, monitor.Counters().CallsStarted);
    }
}
