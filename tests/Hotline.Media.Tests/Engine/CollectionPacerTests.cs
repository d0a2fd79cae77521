using Hotline.Media.Engine;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// The pacer decides from the process's allocation and collection counts, which other tests running in
/// parallel also move; each case therefore retries until it gets a window no collection of theirs fell into.
/// </summary>
public class CollectionPacerTests
{
    private const long Bytes = 64 * 1024;
    private const int Attempts = 50;

    [Fact]
    public void Collects_gen0_once_its_allowance_has_been_allocated_and_not_before()
    {
        var pacer = new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            pacer.Pace(); // a look: counts from here
            int before = GC.CollectionCount(0);
            Assert.Equal(-1, pacer.Pace()); // nothing allocated yet: not due
            Garbage(100 * 1024);
            if (GC.CollectionCount(0) != before)
                continue; // the runtime collected meanwhile
            long paced = CollectionPacer.Collections;
            if (pacer.Pace() < 0)
                continue; // someone else's allocation made the interval look busy
            Assert.True(GC.CollectionCount(0) > before);
            Assert.True(CollectionPacer.Collections > paced);
            return;
        }
        Assert.Fail($"no quiet window in {Attempts} attempts");
    }

    [Fact]
    public void Stands_aside_when_an_interval_allocates_more_than_the_busy_limit()
    {
        var pacer = new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            pacer.Pace();
            int before = GC.CollectionCount(0);
            Garbage((CollectionPacer.BusyFactor + 2) * Bytes);
            if (GC.CollectionCount(0) != before)
                continue;
            Assert.Equal(-1, pacer.Pace());
            Assert.Equal(before, GC.CollectionCount(0));
            return;
        }
        Assert.Fail($"no quiet window in {Attempts} attempts");
    }

    [Fact]
    public void Collects_gen1_once_what_survived_gen0_has_grown_past_its_limit()
    {
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            var pacer = new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes);
            var kept = new List<byte[]>();
            var generations = new List<int>();
            pacer.Pace();
            int olderBefore = GC.CollectionCount(1);
            // Each round keeps 100 KB alive through a paced gen0 collection, so it settles in gen1.
            for (int round = 0; round < 40 && !generations.Contains(1); round++)
            {
                for (int i = 0; i < 100; i++)
                    kept.Add(new byte[1000]);
                int generation = pacer.Pace();
                if (generation >= 0)
                    generations.Add(generation);
            }
            GC.KeepAlive(kept);
            if (GC.CollectionCount(1) - olderBefore != generations.Count(g => g >= 1))
                continue; // a gen1 or gen2 collection of the runtime's (or another test's) fell into the window
            Assert.Contains(0, generations);
            Assert.Equal(1, generations[^1]);
            // Not before about Gen1Factor × Bytes had survived: the first paced collections are of gen0 only.
            Assert.True(generations.IndexOf(1) >= CollectionPacer.Gen1Factor * Bytes / (100 * 1000) - 1,
                $"gen1 after {generations.IndexOf(1)} paced collections");
            return;
        }
        Assert.Fail($"no quiet window in {Attempts} attempts");
    }

    [Theory]
    [InlineData(5, Bytes)]
    [InlineData(2000, Bytes)]
    [InlineData(25, 1024)]
    [InlineData(25, 128L * 1024 * 1024)]
    public void Refuses_settings_out_of_range(int milliseconds, long bytes)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new CollectionPacer(TimeSpan.FromMilliseconds(milliseconds), bytes));
        Assert.Equal(milliseconds is 5 or 2000 ? "interval" : "bytes", e.ParamName);
    }

    [Fact]
    public void Its_thread_runs_at_the_nice_value_it_was_given()
    {
        if (!OperatingSystem.IsLinux())
            return; // nice values are per thread on Linux only
        // 5 needs no privilege (raising a thread's nice value is always allowed); the host passes the workers' value.
        using var pacer = new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes, nice: 5);
        pacer.Start();
        int? nice = null;
        for (int i = 0; i < 200 && nice != 5; i++)
        {
            Thread.Sleep(10);
            nice = PacerThreadNice();
        }
        Assert.Equal(5, nice);
        Assert.Equal("nice", Assert.Throws<ArgumentOutOfRangeException>(() => new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes, nice: -21)).ParamName);
    }

    private static int? PacerThreadNice() =>
        WorkerPriority.ThreadsNamed("gc pacer") is [var thread, ..] ? WorkerPriority.ThreadNice(thread) : null;

    [Fact]
    public void A_background_collection_gets_the_pacers_nice_value_for_its_thread()
    {
        if (!OperatingSystem.IsLinux())
            return; // nice values are per thread on Linux only
        var pacer = new CollectionPacer(TimeSpan.FromMilliseconds(10), Bytes, nice: 6);
        pacer.Pace();
        // Objects that live make gen2 grow until the runtime starts a background collection (an induced one
        // is blocking); the pacer sees gen2's count move and raises the collector's thread.
        var kept = new List<byte[]>();
        int? nice = null;
        for (int mb = 0; mb < 400 && nice != 6; mb++)
        {
            for (int i = 0; i < 1000; i++)
                kept.Add(new byte[1000]);
            pacer.Pace();
            nice = WorkerPriority.ThreadsNamed(CollectionPacer.BackgroundCollectorThread) is [var thread, ..] ? WorkerPriority.ThreadNice(thread) : null;
        }
        for (int i = 0; i < 50 && nice != 6; i++)
        {
            Thread.Sleep(10);
            pacer.Pace();
            nice = WorkerPriority.ThreadsNamed(CollectionPacer.BackgroundCollectorThread) is [var thread, ..] ? WorkerPriority.ThreadNice(thread) : null;
        }
        GC.KeepAlive(kept);
        // Leave no background collection running and no heap of garbage behind: the other cases read the
        // process's collection counts, and a runtime collection in their window would spoil it.
        kept.Clear();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        Assert.Equal(6, nice);
    }

    private static void Garbage(long bytes)
    {
        for (long n = 0; n < bytes; n += 1000)
            GC.KeepAlive(new byte[1000 - 24]);
    }
}
