using System.Net;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class SymmetricRtpLatchTests
{
    private static readonly IPEndPoint s_signalled = new(IPAddress.Parse("192.168.1.20"), 4000);
    private static readonly IPEndPoint s_nat = new(IPAddress.Parse("203.0.113.7"), 61000);
    private static readonly IPEndPoint s_spoofer = new(IPAddress.Parse("198.51.100.9"), 5000);

    [Fact]
    public void Sends_to_the_signalled_address_until_the_first_packet_then_to_its_real_source()
    {
        var latch = new SymmetricRtpLatch(s_signalled, TimeSpan.FromSeconds(2));
        Assert.Equal(s_signalled, latch.RemoteEndPoint);
        Assert.Equal(RtpLatchDecision.Latched, latch.Observe(s_nat.Serialize(), TimeSpan.Zero));
        Assert.Equal(s_nat, latch.RemoteEndPoint);
        Assert.Equal(RtpLatchDecision.Accepted, latch.Observe(s_nat.Serialize(), TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public void Another_source_is_rejected_and_counted_while_the_latched_one_is_alive()
    {
        var latch = new SymmetricRtpLatch(s_signalled, TimeSpan.FromSeconds(2));
        latch.Observe(s_nat, TimeSpan.Zero);
        for (int i = 1; i <= 100; i++)
        {
            var now = TimeSpan.FromMilliseconds(20 * i);
            Assert.Equal(RtpLatchDecision.Accepted, latch.Observe(s_nat, now));
            Assert.Equal(RtpLatchDecision.Rejected, latch.Observe(s_spoofer, now));
        }
        Assert.Equal(100, latch.RejectedPackets);
        Assert.Equal(s_nat, latch.RemoteEndPoint);
    }

    [Fact]
    public void Relatches_only_after_the_old_source_was_silent_long_enough()
    {
        var latch = new SymmetricRtpLatch(null, TimeSpan.FromSeconds(2));
        latch.Observe(s_nat, TimeSpan.FromSeconds(10));
        Assert.Equal(RtpLatchDecision.Rejected, latch.Observe(s_spoofer, TimeSpan.FromSeconds(11.9)));
        Assert.Equal(RtpLatchDecision.Relatched, latch.Observe(s_spoofer, TimeSpan.FromSeconds(12)));
        Assert.Equal(s_spoofer, latch.RemoteEndPoint);
        Assert.Equal(1, latch.Relatches);
        Assert.Equal(RtpLatchDecision.Rejected, latch.Observe(s_nat, TimeSpan.FromSeconds(12.5)));
    }

    [Fact]
    public void Reset_after_a_reinvite_latches_afresh()
    {
        var latch = new SymmetricRtpLatch(s_signalled, TimeSpan.FromSeconds(2));
        latch.Observe(s_nat, TimeSpan.Zero);
        latch.Reset(s_spoofer);
        Assert.False(latch.IsLatched);
        Assert.Equal(RtpLatchDecision.Latched, latch.Observe(s_spoofer, TimeSpan.FromMilliseconds(1)));
    }

    [Fact]
    public void Works_for_ipv6_sources()
    {
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::5"), 40000);
        var latch = new SymmetricRtpLatch(null, TimeSpan.FromSeconds(1));
        latch.Observe(v6, TimeSpan.Zero);
        Assert.Equal(v6, latch.RemoteEndPoint);
        Assert.Equal(RtpLatchDecision.Accepted, latch.Observe(v6, TimeSpan.FromMilliseconds(20)));
    }
}
