using CsCheck;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Engine;

/// <summary>Bad packets are counted and dropped; nothing a peer sends can throw out of a leg.</summary>
public sealed class LegRobustnessTests
{
    [Fact]
    public void Random_datagrams_never_throw_and_every_one_is_accounted_for()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.AddPcmConsumer();
        var from = Phone.At(4000, "10.0.0.1");
        long datagrams = 0;
        // threads: 1 because a leg belongs to one media worker; CsCheck samples in parallel otherwise.
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            leg.OnRtp(bytes, from, worker.Now);
            leg.OnRtcp(bytes, from, worker.Now);
            worker.RunTick();
            datagrams++;
        }, iter: 2000, threads: 1);

        var c = leg.Counters;
        // Each RTP-port datagram is RTCP (RFC 5761 range), malformed, or RTP that was used or counted as unknown.
        Assert.Equal(2 * datagrams, c.RtpReceived + c.RtcpReceived);
        Assert.True(c.Malformed > 0);
        Assert.Equal(0, worker.Counters.SendErrors);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x08, 0x00 })]                                   // shorter than the fixed header
    [InlineData(new byte[] { 0x40, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xD5 })]      // version 1
    [InlineData(new byte[] { 0x8F, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xD5 })]      // 15 CSRCs announced, none there
    [InlineData(new byte[] { 0xA0, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xD5, 0x09 })] // padding count past the payload
    [InlineData(new byte[] { 0x90, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xBE, 0xDE, 0, 9 })] // extension past the end
    public void Malformed_RTP_is_counted(byte[] datagram)
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.OnRtp(datagram, Phone.At(4000, "10.0.0.1"), worker.Now);
        Assert.Equal(1, leg.Counters.Malformed);
        Assert.False(leg.Latch.IsLatched); // a malformed packet cannot steal the media either
    }

    [Fact]
    public void Payload_types_not_negotiated_are_counted_and_dropped()
    {
        var worker = new FakeWorker();
        var caller = worker.AddLeg("caller", out _);
        var callee = worker.AddLeg("callee", out var calleeSink, seed: 2);
        caller.Apply(Negotiations.Pcma(), worker.Now);
        callee.Apply(Negotiations.Pcma(remote: new(System.Net.IPAddress.Parse("10.0.0.2"), 5000)), worker.Now);
        var bridge = new Hotline.Media.Engine.BridgeCore(caller, callee, null);
        worker.Add(bridge);
        bridge.Start(worker.Now);

        var phone = new Phone();
        caller.OnRtp(phone.Packet(13, [0x40]), Phone.At(4000, "10.0.0.1"), worker.Now); // comfort noise, never offered
        caller.OnRtp(phone.Packet(0, new byte[160]), Phone.At(4000, "10.0.0.1"), worker.Now); // PCMU, not negotiated

        Assert.Equal(2, caller.Counters.UnknownPayloadType);
        Assert.Empty(calleeSink.Rtp);
    }

    [Fact]
    public void Packets_before_negotiation_are_ignored()
    {
        var worker = new FakeWorker();
        var leg = worker.AddLeg("caller", out _);
        leg.OnRtp(new Phone().Packet(8, new byte[160]), Phone.At(4000, "10.0.0.1"), worker.Now);
        worker.RunTick();
        Assert.Equal(1, leg.Counters.Ignored);
        Assert.True(RtpHeader.TryRead(new Phone().Packet(8, new byte[160]), out _));
    }
}
