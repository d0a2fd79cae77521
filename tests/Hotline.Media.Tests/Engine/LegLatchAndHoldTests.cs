using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Playback;
using Hotline.Media.Sdp;

namespace Hotline.Media.Tests.Engine;

/// <summary>Where a leg sends (symmetric RTP latching) and whether it sends at all (hold).</summary>
public sealed class LegLatchAndHoldTests
{
    private static readonly IPEndPoint s_signalled = new(IPAddress.Parse("192.168.1.20"), 4000);

    [Fact]
    public void Sends_to_the_signalled_address_until_the_peer_is_heard_then_to_where_its_packets_come_from()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(remote: s_signalled), worker.Now);
        leg.PlayTone(ChinaTones.Dial);

        worker.RunTick();
        Assert.Equal("192.168.1.20:4000", sink.Rtp[^1].To.ToString());

        // Behind a NAT the packets come from the public address, not the private one in the SDP.
        leg.OnRtp(new Phone().Packet(8, new byte[160]), Phone.At(34000, "203.0.113.7"), worker.Now);
        worker.RunTick();
        Assert.Equal("203.0.113.7:34000", sink.Rtp[^1].To.ToString());
        Assert.True(leg.Latch.IsLatched);
    }

    [Fact]
    public void Ignores_another_source_while_the_latched_one_is_alive_and_follows_it_after_silence()
    {
        var worker = new FakeWorker(new() { RelatchAfterSilence = TimeSpan.FromSeconds(1) });
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(remote: s_signalled), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        var phone = new Phone();
        var stray = new Phone(ssrc: 0x99);

        leg.OnRtp(phone.Packet(8, new byte[160]), Phone.At(34000, "203.0.113.7"), worker.Now);
        worker.RunTicks(10);
        leg.OnRtp(stray.Packet(8, new byte[160]), Phone.At(40000, "198.51.100.9"), worker.Now);
        worker.RunTick();
        Assert.Equal(1, leg.Counters.RejectedSource);
        Assert.Equal("203.0.113.7:34000", sink.Rtp[^1].To.ToString());

        // The latched source has been silent for over a second: the new one takes over.
        worker.RunTicks(50);
        leg.OnRtp(stray.Packet(8, new byte[160]), Phone.At(40000, "198.51.100.9"), worker.Now);
        worker.RunTick();
        Assert.Equal("198.51.100.9:40000", sink.Rtp[^1].To.ToString());
        Assert.Equal(1, leg.Latch.Relatches);
    }

    [Fact]
    public void A_new_address_in_a_reinvite_rearms_the_latch()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(remote: s_signalled), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        leg.OnRtp(new Phone().Packet(8, new byte[160]), Phone.At(34000, "203.0.113.7"), worker.Now);

        leg.Apply(Negotiations.Pcma(remote: new IPEndPoint(IPAddress.Parse("10.9.9.9"), 6000)), worker.Now);
        worker.RunTick();

        Assert.Equal("10.9.9.9:6000", sink.Rtp[^1].To.ToString());
        Assert.False(leg.Latch.IsLatched);
    }

    [Theory]
    [InlineData(SdpDirection.RecvOnly)] // the peer said sendonly
    [InlineData(SdpDirection.Inactive)] // the peer said inactive
    public void Stops_sending_to_a_peer_that_holds_the_call_and_resumes_when_it_takes_it_back(SdpDirection ours)
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out var sink);
        leg.Apply(Negotiations.Pcma(remote: s_signalled), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        worker.RunTicks(5);
        Assert.Equal(5, sink.Rtp.Count);

        leg.Apply(Negotiations.Of(AudioCodecs.Pcma, 8, 101, s_signalled, ours, remoteHold: true), worker.Now);
        worker.RunTicks(50);
        Assert.True(leg.RemoteHold);
        Assert.Equal(5, sink.Rtp.Count);

        leg.Apply(Negotiations.Pcma(remote: s_signalled), worker.Now);
        worker.RunTicks(5);
        Assert.False(leg.RemoteHold);
        Assert.Equal(10, sink.Rtp.Count);
        // The media clock ran on through the hold: the first packet after it is marked, 51 frames (ticks) on.
        var packets = sink.Packets();
        Assert.True(packets[5].Header.Marker);
        Assert.Equal(51u * 160, packets[5].Header.Timestamp - packets[4].Header.Timestamp);
    }

    [Fact]
    public void Audio_from_a_peer_we_hold_is_counted_but_not_used()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        // We offered sendonly (music on hold), the peer answered recvonly: we only send.
        leg.Apply(Negotiations.Of(AudioCodecs.Pcma, 8, 101, s_signalled, SdpDirection.SendOnly), worker.Now);
        leg.AddPcmConsumer();
        var phone = new Phone();
        for (int i = 0; i < 10; i++)
        {
            leg.OnRtp(phone.Packet(8, new byte[160]), Phone.At(4000, "192.168.1.20"), worker.Now);
            worker.RunTick();
        }
        Assert.Equal(10, leg.Counters.Ignored);
        Assert.Equal(0, leg.Pipeline!.Frames);
        Assert.Equal(10u, leg.Received!.Received + (uint)leg.Received.PacketsDiscarded);
    }
}
