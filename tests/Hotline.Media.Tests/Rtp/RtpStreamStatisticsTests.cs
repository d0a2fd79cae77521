using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class RtpStreamStatisticsTests
{
    private const int ClockRate = 8000;

    private static RtpHeader Packet(int seq, uint ssrc = 0x1234) => new(0, (ushort)seq, (uint)(160 * seq), ssrc);

    [Fact]
    public void Loss_fraction_and_jitter_match_hand_computation_per_RFC3550_A3_A8()
    {
        var stats = new RtpStreamStatistics(ClockRate);
        // Packet i is sent at 20*i ms; these extra delays (ms) make the jitter; null = lost.
        int?[] delays = [0, 0, 5, null, 10, 0, 3, null, 0, 8];
        var transits = new List<double>();
        for (int i = 0; i < delays.Length; i++)
        {
            if (delays[i] is not int delay) continue;
            double arrivalMs = 20 * i + delay;
            stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(arrivalMs));
            // A.1: packet 0 is probation and not counted; from packet 1 on, transit = arrival*8 - ts.
            if (i >= 1) transits.Add(arrivalMs * 8 - 160 * i);
        }
        double jitter = 0;
        for (int k = 1; k < transits.Count; k++)
            jitter += (Math.Abs(transits[k] - transits[k - 1]) - jitter) / 16; // §6.4.1

        // Base is seq 1 (A.1 probation): expected 1..9 = 9, received 7 (3 and 7 lost).
        Assert.Equal(9u, stats.Expected);
        Assert.Equal(7u, stats.Received);
        Assert.Equal(2, stats.CumulativeLost);
        Assert.InRange(stats.Jitter, Math.Floor(jitter) - 1, Math.Ceiling(jitter) + 1);
        Assert.True(jitter > 10, "the crafted pattern should produce measurable jitter");

        var block = stats.CreateReportBlock(TimeSpan.FromSeconds(1));
        Assert.Equal((byte)(2 * 256 / 9), block.FractionLost);
        Assert.Equal(2, block.CumulativeLost);
        Assert.Equal(9u, block.ExtendedHighestSequence);
        Assert.Equal(0x1234u, block.Ssrc);

        // Second interval: 10..19 with one loss -> fraction 1/10 of 256, cumulative 3.
        for (int i = 10; i < 20; i++)
            if (i != 15) stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(20 * i));
        block = stats.CreateReportBlock(TimeSpan.FromSeconds(2));
        Assert.Equal((byte)(256 / 10), block.FractionLost);
        Assert.Equal(3, block.CumulativeLost);

        // An interval with no loss reports zero.
        for (int i = 20; i < 25; i++) stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(20 * i));
        Assert.Equal(0, stats.CreateReportBlock(TimeSpan.FromSeconds(3)).FractionLost);
    }

    [Fact]
    public void Steady_arrival_gives_zero_jitter()
    {
        var stats = new RtpStreamStatistics(ClockRate);
        for (int i = 0; i < 100; i++) stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(1000 + 20 * i));
        Assert.Equal(0u, stats.Jitter);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Jitter_and_extended_sequence_survive_sequence_and_timestamp_wrap()
    {
        var stats = new RtpStreamStatistics(ClockRate);
        uint ts = uint.MaxValue - 800;
        for (int i = 0; i < 20; i++)
        {
            stats.OnPacket(new RtpHeader(0, (ushort)(65530 + i), ts, 9), TimeSpan.FromMilliseconds(20 * i));
            ts += 160;
        }
        Assert.Equal(0u, stats.Jitter);
        Assert.Equal(65536u + 13, stats.ExtendedHighestSequence);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Lsr_and_dlsr_come_from_the_last_sender_report()
    {
        var stats = new RtpStreamStatistics(ClockRate);
        for (int i = 0; i < 5; i++) stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(20 * i));
        ulong ntp = 0x11223344_55667788;
        stats.OnSenderReport(ntp, TimeSpan.FromSeconds(1));
        var block = stats.CreateReportBlock(TimeSpan.FromSeconds(1.5));
        Assert.Equal(0x33445566u, block.LastSenderReport);
        Assert.Equal(32768u, block.DelaySinceLastSenderReport);
    }

    [Fact]
    public void A_new_peer_ssrc_starts_the_statistics_over()
    {
        var stats = new RtpStreamStatistics(ClockRate);
        for (int i = 0; i < 10; i++) stats.OnPacket(Packet(i), TimeSpan.FromMilliseconds(20 * i));
        Assert.Equal(9u, stats.Received);

        for (int i = 0; i < 4; i++) stats.OnPacket(Packet(5000 + i, ssrc: 0x9999), TimeSpan.FromMilliseconds(300 + 20 * i));
        Assert.Equal(1, stats.SsrcChanges);
        Assert.Equal(0x9999u, stats.Ssrc);
        Assert.Equal(3u, stats.Received);
        Assert.Equal(5003u, stats.ExtendedHighestSequence);
        Assert.Equal(0, stats.CumulativeLost);
    }

    [Fact]
    public void Report_builder_sends_SR_while_sending_and_RR_otherwise_with_cname()
    {
        var received = new RtpStreamStatistics(ClockRate);
        for (int i = 0; i < 10; i++) received.OnPacket(Packet(i), TimeSpan.FromMilliseconds(20 * i));
        var sent = new RtpSenderStatistics();
        var builder = new RtcpReportBuilder(0xABCDEF01, "hotline@test", ClockRate);
        var wall = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var rrOnly = builder.Build(sent, [received], wall, TimeSpan.FromSeconds(1));
        var rr = Assert.IsType<RtcpReceiverReport>(rrOnly.Packets[0]);
        Assert.Single(rr.ReportBlocks);
        Assert.Equal("hotline@test", Assert.IsType<RtcpSourceDescription>(rrOnly.Packets[1]).Chunks[0].CName);

        for (int i = 0; i < 50; i++)
            sent.OnPacketSent(new RtpHeader(8, (ushort)i, (uint)(1000 + 160 * i), 0xABCDEF01, false, 0, false, 0, 0, 0, 160),
                TimeSpan.FromMilliseconds(2000 + 20 * i));
        var withSr = builder.Build(sent, [received], wall, TimeSpan.FromMilliseconds(2980 + 100));
        var sr = Assert.IsType<RtcpSenderReport>(withSr.Packets[0]);
        Assert.Equal(50u, sr.PacketCount);
        Assert.Equal(8000u, sr.OctetCount);
        // Last packet ts 1000+160*49 sent at 2980 ms; 100 ms later the media clock is 800 further.
        Assert.Equal((uint)(1000 + 160 * 49 + 800), sr.RtpTimestamp);
        Assert.Equal(NtpTimestamp.FromDateTime(wall), sr.NtpTimestamp);

        // Nothing sent since: back to RR; leaving adds a BYE.
        var bye = builder.Build(sent, [received], wall, TimeSpan.FromSeconds(5), byeReason: "");
        Assert.IsType<RtcpReceiverReport>(bye.Packets[0]);
        Assert.Equal([0xABCDEF01u], Assert.IsType<RtcpGoodbye>(bye.Packets[2]).Ssrcs);
    }

    [Fact]
    public void Random_ssrc_avoids_the_given_value_and_zero()
    {
        var seen = new HashSet<uint>();
        for (int i = 0; i < 1000; i++)
        {
            uint ssrc = RtpSsrc.NewRandom(avoid: 5);
            Assert.NotEqual(0u, ssrc);
            Assert.NotEqual(5u, ssrc);
            seen.Add(ssrc);
        }
        Assert.True(seen.Count > 990);
    }
}
