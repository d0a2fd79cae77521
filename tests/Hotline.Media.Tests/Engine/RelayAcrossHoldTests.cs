using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Sdp;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A relayed stream across a hold: the peer that held the call gets no packets while on hold, and when
/// it takes the call back the sequence numbers continue where they stopped (RFC 3550 §5.1), so it counts
/// nothing as lost — found with baresip, which reported the whole hold as lost packets.
/// </summary>
public sealed class RelayAcrossHoldTests
{
    private static readonly IPEndPoint s_holderPhone = new(IPAddress.Parse("10.0.0.1"), 4000);
    private static readonly IPEndPoint s_heldPhone = new(IPAddress.Parse("10.0.0.2"), 5000);

    [Fact]
    public void After_a_hold_the_relayed_stream_continues_its_sequence_with_a_marked_packet()
    {
        var worker = new FakeWorker();
        var holder = worker.AddLeg("holder", out var holderSink, seed: 1);
        var held = worker.AddLeg("held", out _, seed: 2);
        holder.Apply(Negotiations.Pcma(remote: s_holderPhone), worker.Now);
        held.Apply(Negotiations.Pcma(remote: s_heldPhone), worker.Now);
        var bridge = new BridgeCore(holder, held, null);
        worker.Add(bridge);
        bridge.Start(worker.Now);
        Assert.True(bridge.Relaying);
        var phone = new Phone();
        void Talk(int packets)
        {
            for (int i = 0; i < packets; i++)
            {
                held.OnRtp(phone.Packet(8, new byte[160]), s_heldPhone.Serialize(), worker.Now);
                worker.RunTick();
            }
        }

        Talk(10);
        // The holder's re-INVITE said sendonly: we answered recvonly, and the held party talks on.
        holder.Apply(Negotiations.Of(AudioCodecs.Pcma, 8, 101, s_holderPhone, SdpDirection.RecvOnly, remoteHold: true), worker.Now);
        Talk(50);
        Assert.Equal(10, holderSink.Rtp.Count);
        holder.Apply(Negotiations.Pcma(remote: s_holderPhone), worker.Now);
        Talk(10);

        var sent = holderSink.Packets();
        Assert.Equal(20, sent.Count);
        for (int i = 1; i < sent.Count; i++)
            Assert.Equal((ushort)(sent[i - 1].Header.SequenceNumber + 1), sent[i].Header.SequenceNumber);
        // The first packet after the hold is marked and its timestamp runs on by the time the hold took.
        Assert.True(sent[10].Header.Marker);
        Assert.Equal(51u * 160, sent[10].Header.Timestamp - sent[9].Header.Timestamp);
        Assert.All(sent.Skip(11), p => Assert.False(p.Header.Marker));
    }
}
