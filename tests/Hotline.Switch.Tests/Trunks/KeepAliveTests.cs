using Hotline.Switch.Sip;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Trunks;

public class KeepAliveTests
{
    private static Trunk Probed(int interval = 30, int failures = 3) =>
        TrunkTestKit.Carrier1(t => t with { Register = false, OptionsIntervalSeconds = interval, OptionsFailuresToDown = failures });

    private static KeepAliveStatus Status(TrunkTestKit kit) => kit.Manager.Status("carrier")!.KeepAlive!;

    [Fact]
    public async Task Probes_with_OPTIONS_every_interval()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(Probed());
        kit.Manager.Start();
        var probe = Assert.Single(kit.Requests(SipMethod.Options));
        Assert.Equal("sip:203.0.113.10", probe.RequestUriText);
        Assert.Equal(70, probe.MaxForwards);
        kit.Respond(probe, 200);
        Assert.Equal(TrunkLinkState.Up, Status(kit).State);
        kit.Advance(29.9);
        Assert.Single(kit.Requests(SipMethod.Options));
        kit.Advance(0.1);
        Assert.Equal(2, kit.Requests(SipMethod.Options).Count);
    }

    [Fact]
    public async Task Goes_down_after_N_unanswered_probes_and_up_on_the_next_answer()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(Probed());
        kit.Manager.Start();
        Assert.Equal(TrunkLinkState.Up, kit.Manager.Status("carrier")!.Link); // up until proven otherwise

        // Probes at 0, 30, 60 go unanswered; each times out after 5 s.
        kit.Advance(5);
        Assert.Equal((TrunkLinkState.Up, 1), (Status(kit).State, Status(kit).ConsecutiveFailures));
        kit.Advance(30);
        Assert.Equal((TrunkLinkState.Up, 2), (Status(kit).State, Status(kit).ConsecutiveFailures));
        kit.Advance(29.9);
        Assert.Equal(TrunkLinkState.Up, Status(kit).State);
        kit.Advance(0.1);
        var down = Status(kit);
        Assert.Equal(TrunkLinkState.Down, down.State);
        Assert.Equal(kit.Start.AddSeconds(65), down.Since);
        Assert.Equal(3, kit.Requests(SipMethod.Options).Count);

        Assert.Null(kit.Manager.TryAcquire("carrier", out var refusal));
        Assert.Contains("down", refusal);

        // The probe at 90 s is answered — even a 404 proves the carrier is there.
        kit.Advance(25);
        Assert.Equal(4, kit.Requests(SipMethod.Options).Count);
        kit.Respond(kit.Last(SipMethod.Options), 404);
        var up = Status(kit);
        Assert.Equal(TrunkLinkState.Up, up.State);
        Assert.Equal(kit.Start.AddSeconds(90), up.Since);
        Assert.Equal(0, up.ConsecutiveFailures);
        Assert.Equal(404, up.LastStatus);
        using var lease = kit.Manager.TryAcquire("carrier", out refusal);
        Assert.NotNull(lease);
        Assert.Null(refusal);
    }

    [Fact]
    public async Task A_late_answer_after_the_probe_timed_out_does_not_count()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(Probed(failures: 1));
        kit.Manager.Start();
        var probe = kit.Last(SipMethod.Options);
        kit.Advance(5);
        Assert.Equal(TrunkLinkState.Down, Status(kit).State);
        kit.Respond(probe, 200);
        Assert.Equal(TrunkLinkState.Down, Status(kit).State);
    }

    [Fact]
    public async Task A_transport_error_counts_as_a_failure()
    {
        await using var kit = new TrunkTestKit();
        kit.Sender.Fail = true;
        kit.Trunks.Save(Probed(failures: 2));
        kit.Manager.Start();
        Assert.Equal(1, Status(kit).ConsecutiveFailures);
        kit.Advance(30);
        Assert.Equal(TrunkLinkState.Down, Status(kit).State);
        Assert.Equal(kit.Start.AddSeconds(30), Status(kit).Since);
    }

    [Fact]
    public async Task Without_keep_alive_a_trunk_is_always_up()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(Probed(interval: 0));
        kit.Manager.Start();
        kit.Advance(600);
        Assert.Empty(kit.Requests(SipMethod.Options));
        Assert.Null(kit.Manager.Status("carrier")!.KeepAlive);
        Assert.Equal(TrunkLinkState.Up, kit.Manager.Status("carrier")!.Link);
        using var lease = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task Turning_keep_alive_off_in_the_store_brings_a_down_trunk_back()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(Probed(failures: 1));
        kit.Manager.Start();
        kit.Advance(5);
        Assert.Null(kit.Manager.TryAcquire("carrier", out _));
        kit.Trunks.Save(kit.Trunks.Find("carrier")! with { OptionsIntervalSeconds = 0 });
        using var lease = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(lease);
        var probes = kit.Requests(SipMethod.Options).Count;
        kit.Advance(120);
        Assert.Equal(probes, kit.Requests(SipMethod.Options).Count);
    }
}
