namespace Hotline.Media.Engine;

/// <summary>
/// Keeps the young generation small so that garbage collections stop the media workers for about a
/// millisecond, not tens. A gen0 collection's pause is the copying of what survives it, and while calls are
/// being set up most of what survives is their new state. The runtime's own budget (megabytes) lets seconds
/// of new calls pile up and then copies them in one pause of 20–100 ms, during which every worker stops and
/// every call's audio waits. Every <see cref="Interval"/>, once <see cref="Bytes"/> have been allocated since
/// the last collection, the pacer collects gen0 itself: a few calls' state, copied in about a millisecond.
/// What survives gen0 piles up in gen1, so once the heap has grown by <see cref="Gen1Factor"/> ×
/// <see cref="Bytes"/> since gen1 was last collected, the paced collection is of gen1 (a megabyte or two:
/// a few milliseconds). When more than <see cref="BusyFactor"/> × <see cref="Bytes"/> is allocated in one
/// interval (hundreds of calls a second, far above a hotline's rate) the pacer stands aside and the runtime's
/// budget collects: at that rate, collecting every few hundred kilobytes would cost call-setup throughput
/// more than the shorter pauses are worth.
/// </summary>
public sealed class CollectionPacer : IDisposable
{
    /// <summary>Heap growth since gen1 was last collected, in multiples of <see cref="Bytes"/>, that makes the next paced collection one of gen1.</summary>
    public const int Gen1Factor = 6;

    /// <summary>Allocation in one interval, in multiples of <see cref="Bytes"/>, above which the pacer leaves collecting to the runtime.</summary>
    public const int BusyFactor = 4;

    private readonly ManualResetEventSlim _stop = new();
    private Thread? _thread;
    private int _lastCount = -1;
    private long _baseline;
    private long _lastLook = -1;
    private int _lastGen1Count = -1;
    private long _settledAfterGen1;
    private int _lastGen2Count = -1;
    private int _backgroundLooksLeft;
    private static long s_collections;

    /// <param name="interval">How often to look (10 ms to 1 s).</param>
    /// <param name="bytes">Allocation since the last collection that makes one due (64 KB to 64 MB).</param>
    /// <param name="nice">
    /// Linux nice value of the pacer's thread and of the runtime's background collector, the media workers'
    /// (MediaEngineOptions.WorkerNice): a paced collection runs on the pacer's thread with every worker stopped
    /// until it ends, so a pacer (or a collector it waits for) that waits its turn behind other threads halfway
    /// through lengthens the pause the workers see.
    /// </param>
    public CollectionPacer(TimeSpan interval, long bytes, int nice = 0)
    {
        if (interval < TimeSpan.FromMilliseconds(10) || interval > TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "must be 10 ms to 1 s");
        if (bytes is < 64 * 1024 or > 64L * 1024 * 1024)
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be 64 KB to 64 MB");
        if (nice is < -20 or > 19)
            throw new ArgumentOutOfRangeException(nameof(nice), nice, "must be -20..19");
        Interval = interval;
        Bytes = bytes;
        Nice = nice;
    }

    public TimeSpan Interval { get; }
    public long Bytes { get; }
    public int Nice { get; }

    /// <summary>Collections made by pacers in this process (the runtime's own are not counted; collecting is process-wide).</summary>
    public static long Collections => Interlocked.Read(ref s_collections);

    /// <summary>Starts looking every <see cref="Interval"/> on a thread of its own (the thread pool may be busy when it matters).</summary>
    public void Start()
    {
        if (_thread is not null)
            throw new InvalidOperationException("already started");
        _thread = new Thread(() =>
        {
            // Refused without root or CAP_SYS_NICE: the media workers, asking for the same value, say so in the log.
            if (Nice != 0)
                WorkerPriority.TrySetCurrentThread(Nice, out _);
            while (!_stop.Wait(Interval))
                Pace();
        })
        { IsBackground = true, Name = "gc pacer" };
        _thread.Start();
    }

    /// <summary>
    /// One look: collects gen0 (or gen1, see <see cref="Gen1Factor"/>) when <see cref="Bytes"/> have been
    /// allocated since the last collection and the last interval was not busy; the generation collected, or -1.
    /// </summary>
    public int Pace()
    {
        if (Nice != 0)
            RaiseBackgroundCollector();
        int count = GC.CollectionCount(0);
        long allocated = GC.GetTotalAllocatedBytes(precise: false);
        long interval = _lastLook < 0 ? 0 : allocated - _lastLook;
        _lastLook = allocated;
        if (count != _lastCount)
        {
            // A collection (the runtime's, or the first look): count from here.
            _lastCount = count;
            _baseline = allocated;
            return -1;
        }
        if (allocated - _baseline < Bytes || interval > BusyFactor * Bytes)
            return -1;
        // The heap as the last collection left it (now less what was allocated since): its growth since gen1 was
        // last collected is about gen1's size.
        long settled = GC.GetTotalMemory(forceFullCollection: false) - (allocated - _baseline);
        int gen1Count = GC.CollectionCount(1);
        if (gen1Count != _lastGen1Count)
        {
            _lastGen1Count = gen1Count;
            _settledAfterGen1 = settled;
        }
        int generation = settled - _settledAfterGen1 >= Gen1Factor * Bytes ? 1 : 0;
        GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
        Interlocked.Increment(ref s_collections);
        _lastCount = GC.CollectionCount(0);
        _lastLook = _baseline = GC.GetTotalAllocatedBytes(precise: false);
        return generation;
    }

    /// <summary>The runtime's background-collection thread, as Linux names it.</summary>
    public const string BackgroundCollectorThread = ".NET BGC";

    // While a background gen2 collection runs, a paced collection that has stopped every thread must wait for
    // the background collector's thread to reach a point where it lets a foreground collection in. At normal
    // priority on a busy machine that thread can wait milliseconds for a core while every media worker stands
    // still (7.8 and 14.1 ms measured while calls were set up, with under 1 ms of collecting). So it gets the
    // workers' nice value too. It is made at the first background collection and ends when idle for a while,
    // so it is looked for each time gen2's count moves (a background collection has begun), for a few looks.
    private void RaiseBackgroundCollector()
    {
        int gen2 = GC.CollectionCount(2);
        if (gen2 != _lastGen2Count)
        {
            _lastGen2Count = gen2;
            _backgroundLooksLeft = 8;
        }
        if (_backgroundLooksLeft == 0)
            return;
        _backgroundLooksLeft--;
        foreach (int thread in WorkerPriority.ThreadsNamed(BackgroundCollectorThread))
        {
            if (WorkerPriority.TrySetThread(thread, Nice, out _))
                _backgroundLooksLeft = 0;
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread?.Join();
        _stop.Dispose();
    }
}
