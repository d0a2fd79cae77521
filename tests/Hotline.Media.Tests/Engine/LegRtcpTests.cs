using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Engine;

/// <summary>RTCP of a leg (RFC 3550 §6) on fake time.</summary>
public sealed class LegRtcpTests
{
    // §6.2/§6.3.1 with Tmin = 5 s: the interval is Tmin x [0.5, 1.5] / (e - 1.5); the first uses Tmin / 2.
    private const double Compensation = 1.21828;

    [Fact]
    public void Reports_go_out_at_randomised_intervals_around_the_five_second_minimum()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        var start = worker.Now;
        worker.RunTicks(60 * 50);

        var times = sink.RtcpTimes;
        Assert.InRange(times.Count, 60 / 6.2, 60 / 2.0);
        double first = (times[0] - start).TotalSeconds;
        Assert.InRange(first, 2.5 * 0.5 / Compensation - 0.02, 2.5 * 1.5 / Compensation + 0.02);
        var intervals = times.Zip(times.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Assert.All(intervals, t => Assert.InRange(t, 5 * 0.5 / Compensation - 0.02, 5 * 1.5 / Compensation + 0.02));
        // Randomised: not all the same.
        Assert.True(intervals.Max() - intervals.Min() > 0.1);
    }

    [Fact]
    public void A_sending_leg_reports_with_SR_and_CNAME_and_a_block_for_the_peer()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        var phone = new Phone();
        for (int i = 0; i < 400; i++)
        {
            leg.OnRtp(phone.Packet(8, new byte[160]), Phone.At(4000, "10.0.0.1"), worker.Now);
            worker.RunTick();
        }

        Assert.NotEmpty(sink.Rtcp);
        var (packet, to) = sink.Rtcp[^1];
        Assert.Equal("10.0.0.1:4001", to.ToString());
        Assert.True(RtcpCompoundPacket.TryRead(packet, out var compound, out var error), error);
        var sr = Assert.IsType<RtcpSenderReport>(compound!.Packets[0]);
        Assert.Equal(leg.Out.Ssrc, sr.Ssrc);
        Assert.True(sr.PacketCount > 100);
        var block = Assert.Single(sr.ReportBlocks);
        Assert.Equal(phone.Ssrc, block.Ssrc);
        Assert.Equal(0, block.CumulativeLost);
        Assert.Equal(leg.CName, compound.Find<RtcpSourceDescription>()!.Chunks[0].CName);
    }

    [Fact]
    public void A_leg_that_only_listens_reports_with_RR()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        worker.RunTicks(400);
        Assert.True(RtcpCompoundPacket.TryRead(sink.Rtcp[0].Packet, out var compound, out _));
        Assert.IsType<RtcpReceiverReport>(compound!.Packets[0]);
    }

    [Fact]
    public void Closing_sends_a_BYE_and_the_peer_SR_times_feed_our_report_blocks()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        var phone = new Phone();
        for (int i = 0; i < 10; i++)
        {
            leg.OnRtp(phone.Packet(8, new byte[160]), Phone.At(4000, "10.0.0.1"), worker.Now);
            worker.RunTick();
        }
        var sr = new RtcpCompoundPacket([new RtcpSenderReport(phone.Ssrc, NtpTimestamp.FromDateTime(worker.Time.GetUtcNow()), 1, 10, 1600)]);
        var bytes = new byte[sr.Length];
        sr.WriteTo(bytes);
        leg.OnRtcp(bytes, Phone.At(4001, "10.0.0.1"), worker.Now);
        worker.Advance(TimeSpan.FromMilliseconds(500));

        leg.Close(worker.Now);

        Assert.True(RtcpCompoundPacket.TryRead(sink.Rtcp[^1].Packet, out var compound, out _));
        Assert.NotNull(compound!.Find<RtcpGoodbye>());
        var block = compound.Find<RtcpReceiverReport>()!.ReportBlocks[0];
        Assert.NotEqual(0u, block.LastSenderReport);
        Assert.InRange(block.DelaySinceLastSenderReport / 65536.0, 0.49, 0.51);
        Assert.Equal(1, leg.Rtcp!.ReportsReceived);
    }

    [Fact]
    public void Malformed_RTCP_is_counted_and_ignored()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.OnRtcp([0x80, 0xC9, 0x00, 0x09, 1, 2, 3], Phone.At(4001, "10.0.0.1"), worker.Now);
        leg.OnRtcp([0x40, 0x00], Phone.At(4001, "10.0.0.1"), worker.Now);
        Assert.Equal(2, leg.Rtcp!.Malformed);
    }

    [Fact]
    public void The_interval_gives_senders_a_quarter_of_the_bandwidth_only_when_they_are_few()
    {
        // 100 members, 10 senders, 500 B/s: a sender's share is 125 B/s for 10 senders, so 100 B x 10 / 125 = 8 s.
        var sender = RtcpInterval.Next(100, 10, 500, weSent: true, 100, initial: false, TimeSpan.FromSeconds(5), random: 0.5);
        Assert.Equal(8 / Compensation, sender.TotalSeconds, 3);
        var receiver = RtcpInterval.Next(100, 10, 500, weSent: false, 100, initial: false, TimeSpan.FromSeconds(5), random: 0.5);
        Assert.Equal(100.0 * 90 / 375 / Compensation, receiver.TotalSeconds, 3);
    }
}
