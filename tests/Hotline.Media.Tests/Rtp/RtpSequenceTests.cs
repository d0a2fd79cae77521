using CsCheck;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Rtp;

public class RtpSequenceTests
{
    [Theory]
    [InlineData(0, 65535, 1)]
    [InlineData(65535, 0, -1)]
    [InlineData(10, 65530, 16)]
    [InlineData(32767, 0, 32767)]
    [InlineData(32768, 0, -32768)]
    public void Sixteen_bit_difference_wraps(int to, int from, int expected)
    {
        Assert.Equal(expected, RtpSerial.Difference((ushort)to, (ushort)from));
    }

    [Fact]
    public void Thirty_two_bit_comparison_wraps()
    {
        Assert.True(RtpSerial.IsNewer(5u, uint.MaxValue - 5));
        Assert.False(RtpSerial.IsNewer(uint.MaxValue - 5, 5u));
        Assert.Equal(11, RtpSerial.Difference(5u, uint.MaxValue - 5));
        Assert.Equal(0x1_0000_0003L, RtpSerial.Extend(3u, 0xFFFF_FFF0L));
    }

    [Fact]
    public void Serial_comparison_matches_the_true_distance_for_any_step_under_half_the_space()
    {
        Gen.Select(Gen.UShort, Gen.Int[-32767, 32767]).Sample((start, step) =>
        {
            ushort next = (ushort)(start + step);
            Assert.Equal(step, RtpSerial.Difference(next, start));
            Assert.Equal(step > 0, RtpSerial.IsNewer(next, start));
        });
        Gen.Select(Gen.UInt, Gen.Int[int.MinValue + 1, int.MaxValue]).Sample((start, step) =>
        {
            uint next = (uint)(start + step);
            Assert.Equal(step, RtpSerial.Difference(next, start));
            Assert.Equal(step > 0, RtpSerial.IsNewer(next, start));
        });
    }

    [Fact]
    public void A_source_starting_at_65535_counts_from_its_first_valid_packet_in_the_next_wrap()
    {
        // The case the property below once drew (start 65535): A.1's init_seq runs on the packet that ends
        // probation, so the count starts at 0 with no wrap behind it.
        var tracker = new RtpSequenceTracker();
        Assert.Equal(RtpSequenceStatus.Probation, tracker.Update(65535));
        Assert.Equal(RtpSequenceStatus.Valid, tracker.Update(0));
        Assert.Equal(0u, tracker.ExtendedHighest);
        tracker.Update(5);
        Assert.Equal(5u, tracker.ExtendedHighest);
        Assert.Equal(0u, tracker.Cycles);
    }

    [Fact]
    public void Extended_sequence_is_monotone_through_many_wraps_with_gaps_and_reordering()
    {
        // Walk a true 64-bit sequence with gaps up to 50 and local swaps; feed the low 16 bits.
        Gen.Select(Gen.UShort, Gen.Int[0, 50].Array[400, 1200], Gen.Int).Sample((start, gaps, seed) =>
        {
            var rng = new Random(seed);
            var tracker = new RtpSequenceTracker();
            long trueSeq = start;
            var sent = new List<long> { trueSeq, trueSeq + 1 };
            trueSeq++;
            foreach (int gap in gaps) sent.Add(trueSeq += 1 + gap);
            for (int i = 2; i + 1 < sent.Count; i++)
                if (rng.Next(10) == 0) (sent[i], sent[i + 1]) = (sent[i + 1], sent[i]);

            uint lastExtended = 0;
            long maxSent = 0;
            foreach (long s in sent)
            {
                tracker.Update((ushort)s);
                if (!tracker.IsValid) continue;
                maxSent = Math.Max(maxSent, s);
                Assert.True(tracker.ExtendedHighest >= lastExtended);
                lastExtended = tracker.ExtendedHighest;
                // The extended value tracks the true one, counted from the wrap the tracker started in: that of the
                // packet that ended probation (start + 1, which is in the next wrap when start is 65535).
                Assert.Equal(maxSent - ((start + 1L) & ~0xFFFFL), (long)tracker.ExtendedHighest);
            }
        }, iter: 200);
    }

    [Fact]
    public void New_source_needs_two_sequential_packets_then_counts_wraps()
    {
        var tracker = new RtpSequenceTracker();
        Assert.Equal(RtpSequenceStatus.Probation, tracker.Update(65534));
        Assert.Equal(RtpSequenceStatus.Valid, tracker.Update(65535));
        Assert.Equal(RtpSequenceStatus.Valid, tracker.Update(0));
        Assert.Equal(RtpSequenceStatus.Valid, tracker.Update(1));
        Assert.Equal(1u, tracker.Cycles);
        Assert.Equal(65536u + 1, tracker.ExtendedHighest);
        Assert.Equal(65535u, tracker.BaseSequence);
    }

    [Fact]
    public void A_large_jump_is_ignored_once_and_resyncs_when_the_next_packet_follows_it()
    {
        var tracker = new RtpSequenceTracker();
        tracker.Update(100);
        tracker.Update(101);
        tracker.Update(102);
        Assert.Equal(RtpSequenceStatus.BadJump, tracker.Update(40000));
        Assert.Equal(102u, tracker.ExtendedHighest);
        Assert.Equal(RtpSequenceStatus.Resynced, tracker.Update(40001));
        Assert.Equal(40001u, tracker.ExtendedHighest);
        Assert.Equal(40001u, tracker.BaseSequence);
        Assert.Equal(1u, tracker.Received);
    }

    [Fact]
    public void A_lone_stray_packet_far_away_does_not_move_the_stream()
    {
        var tracker = new RtpSequenceTracker();
        for (ushort s = 10; s < 20; s++) tracker.Update(s);
        Assert.Equal(RtpSequenceStatus.BadJump, tracker.Update(50000));
        Assert.Equal(RtpSequenceStatus.Valid, tracker.Update(20));
        Assert.Equal(20u, tracker.ExtendedHighest);
    }
}
