using System.Buffers.Binary;
using CsCheck;
using Hotline.Media.Jitter;
using Hotline.Media.Rtp;

namespace Hotline.Media.Tests.Jitter;

public class JitterBufferTests
{
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    /// <summary>A packet carrying its index, so tests can tell frames apart after sequence numbers wrap.</summary>
    private static (RtpHeader Header, byte[] Payload) Packet(int index, ushort firstSeq = 1000, uint firstTs = 5000,
        uint ssrc = 0xABCD, bool marker = false, uint extraTs = 0)
    {
        var payload = new byte[160];
        BinaryPrimitives.WriteInt32BigEndian(payload, index);
        var header = new RtpHeader(0, (ushort)(firstSeq + index), firstTs + (uint)(160 * index) + extraTs, ssrc, marker);
        return (header, payload);
    }

    private sealed class Player(JitterBuffer buffer)
    {
        private readonly byte[] _out = new byte[buffer.Options.MaxPayloadSize];
        public readonly List<(JitterBufferStatus Status, int Index, JitterBufferResult Result)> Log = [];
        public readonly List<int> TargetDepths = [];

        public JitterBufferResult Pull(TimeSpan now)
        {
            var result = buffer.Pull(now, _out);
            TargetDepths.Add(buffer.TargetDepth);
            Log.Add((result.Status, result.Status == JitterBufferStatus.Frame ? BinaryPrimitives.ReadInt32BigEndian(_out) : -1, result));
            return result;
        }

        public IEnumerable<int> Frames => Log.Where(l => l.Status == JitterBufferStatus.Frame).Select(l => l.Index);

        /// <summary>Results while the stream lasted: up to the last frame (after it, the tail is concealed and then quiet).</summary>
        public int Count(JitterBufferStatus status) =>
            Log.Take(Log.FindLastIndex(l => l.Status == JitterBufferStatus.Frame) + 1).Count(l => l.Status == status);
    }

    /// <summary>Runs a stream: packet i sent at 20*i ms arrives after delay(i) (null = lost); pulls every 20 ms.</summary>
    private static Player Run(JitterBuffer buffer, int packets, Func<int, double?> delayMs, int extraPulls = 20,
        Func<int, (RtpHeader, byte[])>? make = null)
    {
        make ??= i => Packet(i);
        var arrivals = Enumerable.Range(0, packets)
            .Select(i => (Index: i, Delay: delayMs(i)))
            .Where(a => a.Delay is not null)
            .Select(a => (a.Index, Time: TimeSpan.FromMilliseconds(20 * a.Index + a.Delay!.Value)))
            .OrderBy(a => a.Time).ThenBy(a => a.Index)
            .ToList();
        var player = new Player(buffer);
        int next = 0;
        for (int tick = 0; tick < packets + extraPulls; tick++)
        {
            var now = TimeSpan.FromMilliseconds(20 * tick);
            while (next < arrivals.Count && arrivals[next].Time <= now)
            {
                var (header, payload) = make(arrivals[next].Index);
                buffer.Push(header, payload, arrivals[next].Time);
                next++;
            }
            player.Pull(now);
        }
        return player;
    }

    [Fact]
    public void Steady_stream_plays_every_frame_at_minimum_depth()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 300, _ => 0);
        Assert.Equal(Enumerable.Range(0, 300), player.Frames);
        Assert.Equal(0, player.Count(JitterBufferStatus.Missing));
        Assert.Equal(2, buffer.TargetDepth);
        Assert.Single(player.Log.TakeWhile(l => l.Status == JitterBufferStatus.Buffering));
        Assert.Equal(0, buffer.Late + buffer.Lost + buffer.Duplicates + buffer.Overflows);
        Assert.Equal(300, buffer.Played);
    }

    [Fact]
    public void A_jitter_burst_grows_the_depth_without_losing_packets()
    {
        var buffer = new JitterBuffer();
        // Packets 100..104 are held up and arrive together with 105 (a 100 ms burst).
        var player = Run(buffer, 400, i => i is >= 100 and < 105 ? 20 * (105 - i) : 0, extraPulls: 30);
        int afterBurst = player.TargetDepths[110];
        Assert.True(afterBurst >= 6, $"target depth {afterBurst} after a 100 ms burst");
        Assert.All(player.TargetDepths.Take(100), d => Assert.Equal(2, d));
        Assert.Equal(Enumerable.Range(0, 400), player.Frames);
        Assert.Equal(0, buffer.Late + buffer.Lost);
        // The burst was ridden out by waiting (concealing without giving packets up).
        Assert.All(player.Log.Where(l => l.Status == JitterBufferStatus.Missing).Take(3), l => Assert.False(l.Result.SequenceConsumed));
        // Afterwards the buffer holds the deeper playout instead of falling back to two frames.
        int lastFrame = player.Log.FindLastIndex(l => l.Status == JitterBufferStatus.Frame);
        Assert.Equal(0, player.Log.Take(lastFrame).Skip(200).Count(l => l.Status == JitterBufferStatus.Missing));
        Assert.True(player.Log.FindIndex(l => l.Index == 399) > 400 + 2, "playout runs deeper than the initial two frames");
    }

    [Fact]
    public void Target_depth_shrinks_slowly_once_the_jitter_is_gone()
    {
        var buffer = new JitterBuffer();
        Run(buffer, 110, i => i is >= 100 and < 105 ? 20 * (105 - i) : 0, extraPulls: 0);
        int grown = buffer.TargetDepth;
        var later = new JitterBuffer();
        Run(later, 2000, i => i is >= 100 and < 105 ? 20 * (105 - i) : 0);
        Assert.True(later.TargetDepth < grown, $"depth {later.TargetDepth} should come down from {grown} after 38 s of calm");
        Assert.Equal(2, later.TargetDepth);
    }

    [Fact]
    public void A_lost_packet_gives_one_missing_frame_in_its_place()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 100, i => i == 50 ? null : 0);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 50), player.Frames);
        Assert.Equal(1, player.Count(JitterBufferStatus.Missing));
        var missing = player.Log.First(l => l.Status == JitterBufferStatus.Missing);
        Assert.True(missing.Result.SequenceConsumed);
        Assert.Equal((ushort)1050, missing.Result.SequenceNumber);
        Assert.Equal(5000u + 160 * 50, missing.Result.Timestamp);
        int position = player.Log.FindIndex(l => l.Status == JitterBufferStatus.Missing);
        Assert.Equal(49, player.Log[position - 1].Index);
        Assert.Equal(51, player.Log[position + 1].Index);
        Assert.Equal(1, buffer.Lost);
    }

    [Fact]
    public void A_packet_arriving_after_its_playout_time_is_dropped_as_late()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 100, i => i == 50 ? 200 : 0);
        Assert.DoesNotContain(50, player.Frames);
        Assert.Equal(1, buffer.Late);
        Assert.Equal(99, buffer.Played);
        Assert.Equal(Enumerable.Range(0, 100).Where(i => i != 50), player.Frames);
    }

    [Fact]
    public void Sequence_and_timestamp_wrap_through_65535_and_2_pow_32()
    {
        // Three frames of depth so the packets held up by 25 ms are still in time.
        var buffer = new JitterBuffer(new JitterBufferOptions { MinDepth = 3 });
        var player = Run(buffer, 200, i => i % 7 == 3 ? 25 : 0, make: i => Packet(i, firstSeq: 65450, firstTs: uint.MaxValue - 16_000));
        Assert.Equal(Enumerable.Range(0, 200), player.Frames);
        var sequences = player.Log.Where(l => l.Status == JitterBufferStatus.Frame).Select(l => (int)l.Result.SequenceNumber).ToList();
        Assert.Contains(65535, sequences);
        Assert.Contains(0, sequences);
        Assert.Equal(0, buffer.Resyncs);
    }

    [Fact]
    public void Reordered_and_duplicated_packets_play_once_in_order()
    {
        var buffer = new JitterBuffer();
        var arrivals = new List<int>();
        for (int i = 0; i < 200; i += 2) arrivals.AddRange([i + 1, i, i]); // swapped pairs, first of each doubled
        var player = new Player(buffer);
        int cursor = 0;
        for (int tick = 0; tick < 230; tick++)
        {
            var now = TimeSpan.FromMilliseconds(20 * tick);
            // Deliver the pair that belongs to this 40 ms.
            while (cursor < arrivals.Count && arrivals[cursor] / 2 * 2 <= tick - 1)
            {
                var (header, payload) = Packet(arrivals[cursor++]);
                buffer.Push(header, payload, now);
            }
            player.Pull(now);
        }
        Assert.Equal(Enumerable.Range(0, 200), player.Frames);
        Assert.Equal(100, buffer.Duplicates);
    }

    [Fact]
    public void A_talk_spurt_after_silence_rebuffers_from_the_marker()
    {
        var buffer = new JitterBuffer();
        // 50 packets, 1 s of silence suppression (sequence continues, timestamp jumps), then a marked spurt.
        const int gap = 50;
        var player = Run(buffer, 100 + gap, i => i is >= 50 and < 50 + gap ? null : 0, make: i =>
            i < 50 ? Packet(i) : Packet(i - gap, marker: i == 50 + gap, extraTs: 160 * gap));
        Assert.Equal(Enumerable.Range(0, 100), player.Frames);
        // The gap is concealed for a few frames, then the buffer goes quiet rather than concealing forever.
        var gapLog = player.Log.Skip(51).Take(gap).Select(l => l.Status).ToList();
        int conceal = buffer.Options.MaxConcealedFrames;
        Assert.Equal(conceal, gapLog.Count(s => s == JitterBufferStatus.Missing));
        Assert.True(gapLog.Skip(conceal).All(s => s == JitterBufferStatus.Buffering));
        Assert.Equal(0, buffer.Late);
    }

    [Fact]
    public void A_new_ssrc_resyncs_the_buffer()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 100, _ => 0, make: i => i < 50 ? Packet(i) : Packet(i, firstSeq: 30_000, ssrc: 0x9999));
        Assert.Equal(1, buffer.Resyncs);
        // What the old stream still had buffered is given up; the new one plays whole and in order.
        Assert.Equal(Enumerable.Range(50, 50), player.Frames.Where(i => i >= 50));
        Assert.Equal(Enumerable.Range(0, 48), player.Frames.Where(i => i < 48));
    }

    [Fact]
    public void A_big_sequence_jump_is_confirmed_by_the_next_packet_then_resyncs()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 100, _ => 0, make: i => i < 50 ? Packet(i) : Packet(i, firstSeq: 20_000));
        Assert.Equal(1, buffer.Resyncs);
        Assert.DoesNotContain(50, player.Frames); // the unconfirmed first packet of the jump
        Assert.Equal(Enumerable.Range(51, 49), player.Frames.Where(i => i > 50));
    }

    [Fact]
    public void Oversized_payloads_are_refused()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { MaxPayloadSize = 100 });
        Assert.Equal(JitterBufferPushResult.TooLarge, buffer.Push(new RtpHeader(0, 1, 1, 1), new byte[101], TimeSpan.Zero));
        Assert.Equal(1, buffer.Oversized);
    }

    [Fact]
    public void Slots_sized_for_the_negotiated_packet_widen_for_a_longer_one_and_keep_what_they_hold()
    {
        var buffer = new JitterBuffer(new JitterBufferOptions { InitialPayloadSize = 160, MaxPayloadSize = 960, MinDepth = 3 });
        Assert.Equal(160, buffer.SlotPayloadSize);
        // Two 160-byte packets buffered, then a 480-byte one (a peer switching to 60 ms packets).
        var first = Packet(0);
        var second = Packet(1);
        var longer = new byte[480];
        BinaryPrimitives.WriteInt32BigEndian(longer, 2);
        longer[479] = 0x5A;
        buffer.Push(first.Header, first.Payload, TimeSpan.Zero);
        buffer.Push(second.Header, second.Payload, Frame);
        Assert.Equal(JitterBufferPushResult.Stored, buffer.Push(new RtpHeader(0, 1002, 5320, 0xABCD), longer, 2 * Frame));
        Assert.Equal(480, buffer.SlotPayloadSize); // the packet's length (at least twice the old width)

        var output = new byte[buffer.Options.MaxPayloadSize];
        var results = Enumerable.Range(0, 3).Select(i => buffer.Pull(3 * Frame + i * Frame, output)).ToList();
        Assert.All(results, r => Assert.Equal(JitterBufferStatus.Frame, r.Status));
        Assert.Equal([160, 160, 480], results.Select(r => r.PayloadLength));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(output));
        Assert.Equal(0x5A, output[479]);
    }

    [Fact]
    public void Reset_forgets_packets_and_statistics_but_plays_a_new_stream()
    {
        var buffer = new JitterBuffer();
        var player = Run(buffer, 30, _ => 0);
        Assert.True(buffer.Played > 0);
        buffer.Reset();
        Assert.Equal(0, buffer.Played);
        Assert.Equal(0, buffer.Received);
        Assert.Equal(0, buffer.BufferedFrames);
        Assert.Equal(buffer.Options.MinDepth, buffer.TargetDepth);
        // A stream of another source, far from the old sequence numbers, plays from its first packet.
        var again = Run(buffer, 30, _ => 0, make: i => Packet(i, firstSeq: 20000, firstTs: 90000, ssrc: 0x1234));
        Assert.Equal(Enumerable.Range(0, 30), again.Frames);
        Assert.Equal(0, buffer.Resyncs);
    }

    [Fact]
    public void Push_and_pull_allocate_nothing()
    {
        var buffer = new JitterBuffer();
        var packets = Enumerable.Range(0, 500).Select(i => Packet(i, firstSeq: 65000)).ToArray();
        var output = new byte[buffer.Options.MaxPayloadSize];
        for (int i = 0; i < 50; i++)
        {
            buffer.Push(packets[i].Header, packets[i].Payload, TimeSpan.FromMilliseconds(20 * i));
            buffer.Pull(TimeSpan.FromMilliseconds(20 * i), output);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 50; i < 500; i++)
        {
            buffer.Push(packets[i].Header, packets[i].Payload, TimeSpan.FromMilliseconds(20 * i + i % 5));
            buffer.Pull(TimeSpan.FromMilliseconds(20 * i), output);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Output_never_goes_backwards_and_no_packet_that_arrived_in_time_is_lost()
    {
        var scenarios = Gen.Select(Gen.UShort, Gen.Int[50, 400], Gen.Int[0, 120], Gen.Int[0, 15], Gen.Int[0, 15], Gen.Int);
        scenarios.Sample((firstSeq, count, maxDelayMs, lossPercent, duplicatePercent, seed) =>
        {
            var rng = new Random(seed);
            var arrivals = new List<(TimeSpan Time, int Index)>();
            for (int i = 0; i < count; i++)
            {
                if (rng.Next(100) < lossPercent) continue;
                var time = TimeSpan.FromMilliseconds(20 * i + rng.Next(maxDelayMs + 1));
                arrivals.Add((time, i));
                if (rng.Next(100) < duplicatePercent) arrivals.Add((time + TimeSpan.FromMilliseconds(rng.Next(60)), i));
            }
            arrivals.Sort((a, b) => a.Time.CompareTo(b.Time));

            var buffer = new JitterBuffer(new JitterBufferOptions { Capacity = 64, MaxDepth = 30 });
            var output = new byte[buffer.Options.MaxPayloadSize];
            var inTime = new HashSet<int>();
            var played = new List<int>();
            int passed = -1; // every index at or below this has had its turn
            int cursor = 0;
            for (int tick = 0; tick < count + 100; tick++)
            {
                var now = TimeSpan.FromMilliseconds(20 * tick);
                while (cursor < arrivals.Count && arrivals[cursor].Time <= now)
                {
                    var (time, index) = arrivals[cursor++];
                    if (index > passed) inTime.Add(index);
                    var (header, payload) = Packet(index, firstSeq);
                    buffer.Push(header, payload, time);
                }
                var result = buffer.Pull(now, output);
                if (result.Status == JitterBufferStatus.Frame)
                {
                    int index = BinaryPrimitives.ReadInt32BigEndian(output);
                    Assert.True(played.Count == 0 || index > played[^1], $"frame {index} after {(played.Count > 0 ? played[^1] : -1)}");
                    played.Add(index);
                    passed = index;
                }
                else if (result.Status == JitterBufferStatus.Missing && result.SequenceConsumed)
                {
                    passed = Math.Max(passed, passed + RtpSerial.Difference(result.SequenceNumber, (ushort)(firstSeq + passed)));
                }
            }
            var missing = inTime.Except(played).Order().ToList();
            Assert.True(missing.Count == 0, $"in-time packets never played: {string.Join(',', missing)}");
        }, iter: 300);
    }
}
