using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text;

namespace Hotline.Admin.Monitoring;

/// <summary>
/// Every garbage-collection pause, as a histogram: the time from the runtime's GCSuspendEEBegin event
/// to its GCRestartEEEnd event (threads stopped until they run again), read in-process from the
/// runtime's own event source. <see cref="GC.GetTotalPauseDuration"/> gives only the sum and
/// <see cref="GC.GetGCMemoryInfo()"/> only the latest collection of a kind; a pause percentile needs
/// each pause. A background collection suspends more than once: each suspension is a pause.
/// The part of each pause spent getting the threads to stop (GCSuspendEEBegin to GCSuspendEEEnd) has a
/// histogram of its own: on a busy machine it is time waiting for descheduled threads to reach a safe
/// point, not collecting, and the two call for different remedies.
/// The events come on the runtime's dispatch thread, a few per collection.
/// </summary>
public sealed class GcPauses : EventListener
{
    // Upper bounds in seconds, fine around the 1 ms target so a p99 can be read off the counts.
    private static readonly double[] Bounds =
        [0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1];

    // Field initialisers run before EventListener's constructor, which may already call OnEventSourceCreated.
    private readonly Histogram _pauses = new();
    private readonly Histogram _suspensions = new();
    private long _suspendTicks = -1;

    // Runtime event ids (ClrEtwAll.man): GCSuspendEEBegin_V1 = 9, GCSuspendEEEnd_V1 = 8, GCRestartEEEnd_V1 = 3; keyword GC = 0x1.
    private const int SuspendEEBegin = 9;
    private const int SuspendEEEnd = 8;
    private const int RestartEEEnd = 3;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Informational, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventId == SuspendEEBegin)
        {
            Volatile.Write(ref _suspendTicks, e.TimeStamp.Ticks);
        }
        else if (e.EventId == SuspendEEEnd)
        {
            var begin = Volatile.Read(ref _suspendTicks);
            if (begin >= 0) _suspensions.Record(e.TimeStamp.Ticks - begin);
        }
        else if (e.EventId == RestartEEEnd)
        {
            var begin = Interlocked.Exchange(ref _suspendTicks, -1);
            if (begin < 0) return;
            _pauses.Record(e.TimeStamp.Ticks - begin);
        }
    }

    /// <summary>
    /// Writes the Prometheus histograms dotnet_gc_pause_duration_seconds and dotnet_gc_suspend_duration_seconds
    /// and the longest pause seen.
    /// </summary>
    public void Write(StringBuilder sb)
    {
        _pauses.Write(sb, "dotnet_gc_pause_duration_seconds", "Garbage-collection pauses (execution engine suspended to restarted).");
        _suspensions.Write(sb, "dotnet_gc_suspend_duration_seconds", "Time each garbage-collection pause took to stop the threads (suspension begin to end).");
        sb.Append(CultureInfo.InvariantCulture,
            $"# HELP dotnet_gc_pause_max_seconds Longest garbage-collection pause since start.\n# TYPE dotnet_gc_pause_max_seconds gauge\ndotnet_gc_pause_max_seconds {_pauses.MaxSeconds.ToString("R", CultureInfo.InvariantCulture)}\n");
    }

    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Bounds.Length + 1];
        private long _sumTicks;
        private long _maxTicks;

        public double MaxSeconds => Volatile.Read(ref _maxTicks) / (double)TimeSpan.TicksPerSecond;

        public void Record(long ticks)
        {
            if (ticks < 0) return;
            var seconds = ticks / (double)TimeSpan.TicksPerSecond;
            var i = 0;
            while (i < Bounds.Length && seconds > Bounds[i]) i++;
            Interlocked.Increment(ref _counts[i]);
            Interlocked.Add(ref _sumTicks, ticks);
            long max;
            while (ticks > (max = Volatile.Read(ref _maxTicks)) && Interlocked.CompareExchange(ref _maxTicks, ticks, max) != max) { }
        }

        public void Write(StringBuilder sb, string name, string help)
        {
            sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} histogram\n");
            long cumulative = 0;
            for (var i = 0; i < Bounds.Length; i++)
            {
                cumulative += Volatile.Read(ref _counts[i]);
                sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"{Bounds[i].ToString("R", CultureInfo.InvariantCulture)}\"}} {cumulative}\n");
            }
            cumulative += Volatile.Read(ref _counts[Bounds.Length]);
            sb.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{le=\"+Inf\"}} {cumulative}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{name}_sum {(Volatile.Read(ref _sumTicks) / (double)TimeSpan.TicksPerSecond).ToString("R", CultureInfo.InvariantCulture)}\n");
            sb.Append(CultureInfo.InvariantCulture, $"{name}_count {cumulative}\n");
        }
    }
}
