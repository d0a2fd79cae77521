using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Tests.Codecs;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A wideband room on the media engine: members who don't talk are sent one shared G.722 payload under
/// their own RTP headers, talkers their own mix-minus, and the tick still allocates nothing.
/// </summary>
public sealed class RoomsCommonMixTests
{
    private static readonly AudioCodecInfo G722 = AudioCodecs.All.First(c => c.Name == "G722");

    private static RoomRig WidebandRoom()
    {
        var rig = new RoomRig(16000, new MediaEngineOptions { RtcpMinInterval = TimeSpan.FromHours(1) });
        rig.Join("talker1", 500, G722);
        rig.Join("talker2", 900, G722);
        for (int i = 0; i < 4; i++)
            rig.Join($"silent{i}", 0, G722);
        // At 8 kHz in a 16 kHz room: resampled on the way out, so coded on its own.
        rig.Join("pstn", 0, AudioCodecs.Pcmu);
        return rig;
    }

    [Fact]
    public void Silent_members_are_sent_the_same_payload_under_their_own_sequence_timestamp_and_SSRC()
    {
        var rig = WidebandRoom();
        rig.Run(60);

        var silent = rig.Parties.Where(p => p.Label.StartsWith("silent")).Select(p => p.Sink.Packets()).ToList();
        Assert.All(silent, packets => Assert.Equal(60, packets.Count));
        for (int t = 10; t < 60; t++)
        {
            var first = silent[0][t].Payload;
            Assert.Equal(160, first.Length);
            Assert.All(silent, packets => Assert.Equal(first, packets[t].Payload));
        }
        Assert.Equal(4, silent.Select(p => p[^1].Header.Ssrc).Distinct().Count());
        Assert.True(silent.Select(p => (p[^1].Header.SequenceNumber, p[^1].Header.Timestamp)).Distinct().Count() > 1);
        // Every packet of a member's stream follows on from the one before, whichever encoder made it.
        foreach (var packets in silent)
        {
            for (int t = 1; t < packets.Count; t++)
            {
                Assert.Equal((ushort)(packets[t - 1].Header.SequenceNumber + 1), packets[t].Header.SequenceNumber);
                // G.722 runs an 8,000 Hz RTP clock (RFC 3551 §4.5.2): 160 per 20 ms.
                Assert.Equal(packets[t - 1].Header.Timestamp + 160, packets[t].Header.Timestamp);
            }
        }
        // Talkers get their own: each hears the other, not itself; the silent and the PSTN member hear both.
        var talker1 = rig.Parties.Single(p => p.Label == "talker1");
        var talker2 = rig.Parties.Single(p => p.Label == "talker2");
        Assert.NotEqual(talker1.Sink.Packets()[^1].Payload, silent[0][^1].Payload);
        Assert.Equal([900.0], talker1.Hears([500, 900]));
        Assert.Equal([500.0], talker2.Hears([500, 900]));
        Assert.All(rig.Parties.Where(p => p.Tone == 0), p => Assert.Equal([500.0, 900.0], p.Hears([500, 900])));
        // One shared encoding per tick (some ticks before anyone was on it), not one per silent member.
        Assert.InRange(rig.Room.CommonEncodes, 55, 60);
    }

    [Fact]
    public void A_room_tick_sharing_the_common_mix_allocates_nothing()
    {
        var rig = WidebandRoom();
        foreach (var party in rig.Parties)
            party.Sink.KeepPackets = false;
        const int warmup = 300, measured = 1000;
        var talkers = rig.Parties.Where(p => p.Tone != 0).ToList();
        // Talker 2 stops and starts every 2 s, so members move between the streams during the measurement.
        var packets = talkers.Select(p => Enumerable.Range(0, warmup + measured).Select(_ => p.NextPacket()).ToArray()).ToArray();

        long allocated = 0;
        WorkerThread.Run(() =>
        {
            for (int t = 0; t < warmup + measured; t++)
            {
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int p = 0; p < talkers.Count; p++)
                {
                    if (p == 0 || (t / 100) % 2 == 0)
                        talkers[p].Deliver(packets[p][t], rig.Worker.Now);
                }
                rig.Worker.RunTick();
                if (t >= warmup)
                    allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
        });

        Assert.Equal(0, allocated);
        Assert.All(rig.Parties, p => Assert.True(p.Sink.RtpCount >= measured, $"{p} was sent {p.Sink.RtpCount} packets"));
        var member2 = talkers[1].Member!;
        Assert.True(member2.Common!.Joins >= 4, $"talker2 joined the shared stream {member2.Common.Joins} times");
        Assert.True(rig.Room.CommonEncodes >= measured);
    }

    [Fact]
    public void A_tone_played_to_a_member_on_the_shared_stream_continues_from_the_state_its_far_end_followed()
    {
        var rig = WidebandRoom();
        var silent = rig.Parties.Single(p => p.Label == "silent0");
        rig.Run(50);
        Assert.True(silent.Member!.Common!.IsShared);

        // The leg's own encoder codes the tone: it must start from the shared encoder's state, which the far
        // end's decoder has been following, not from the state it had before the member joined the stream.
        silent.Leg.PlayTone(ToneSpec.Parse("1000/5000"));
        rig.Run(10);
        silent.Leg.StopPlayback();
        rig.Run(20);

        var heard = silent.Heard();
        Assert.Equal(80 * 320, heard.Length);
        // Ticks 52-58 carry the tone (it starts at tick 50 or 51); a decoder out of step garbles the first 40 ms.
        var tone = heard.AsSpan(52 * 320, 7 * 320);
        double residual = SignalMeasure.SineResidualDb(tone, 1000, 16000);
        TestContext.Current.TestOutputHelper?.WriteLine($"1 kHz tone after the switch: residual {residual:F1} dB");
        Assert.True(residual < -30, $"residual {residual:F1} dB");
        Assert.Equal([500.0, 900.0], silent.Hears([500, 900], 200));
        Assert.True(silent.Member.Common.IsShared);
    }
}
