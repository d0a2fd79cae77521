using System.Globalization;
using System.Text;
using Hotline.Switch.Api;

namespace Hotline.Admin.Monitoring;

/// <summary>The Prometheus text exposition format (version 0.0.4) of the switch's counters and the runtime's GC.</summary>
public sealed class MetricsWriter(ISwitchStatus status)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public string Write()
    {
        var c = status.Counters();
        var sb = new StringBuilder(2048);
        Gauge(sb, "hotline_registrations", "Registered contacts.", c.Registrations);
        Gauge(sb, "hotline_registered_aors", "Extensions with at least one registered contact.", c.RegisteredAors);
        Gauge(sb, "hotline_active_calls", "Calls in progress.", c.ActiveCalls);
        Counter(sb, "hotline_calls_started_total", "Calls seen since start.", c.CallsStarted);
        Gauge(sb, "hotline_calls_per_second", "New calls per second over the last 10 seconds.", c.CallsPerSecond);
        Gauge(sb, "hotline_blocked_sources", "Addresses blocked after repeated authentication failures.", c.BlockedSources);

        Counter(sb, "dotnet_gc_pause_seconds_total", "Time the runtime paused for garbage collection.", GC.GetTotalPauseDuration().TotalSeconds);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Gauge(sb, "dotnet_gc_last_pause_seconds", "Pause of the most recent garbage collection.", info.PauseDurations.Length > 0 ? info.PauseDurations[0].TotalSeconds : 0);
        Gauge(sb, "dotnet_gc_pause_time_percent", "Share of time paused for GC since start.", info.PauseTimePercentage);
        sb.Append("# HELP dotnet_gc_collections_total Garbage collections by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
            sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{gen}\"}} {GC.CollectionCount(gen)}\n");
        Gauge(sb, "dotnet_gc_heap_bytes", "Managed heap size.", GC.GetTotalMemory(false));
        Counter(sb, "dotnet_gc_allocated_bytes_total", "Bytes allocated since start.", GC.GetTotalAllocatedBytes());
        Gauge(sb, "process_working_set_bytes", "Resident memory.", Environment.WorkingSet);
        Gauge(sb, "dotnet_threadpool_threads", "Thread pool threads.", ThreadPool.ThreadCount);
        return sb.ToString();
    }

    private static void Gauge(StringBuilder sb, string name, string help, double value) => Metric(sb, name, help, "gauge", value);

    private static void Counter(StringBuilder sb, string name, string help, double value) => Metric(sb, name, help, "counter", value);

    private static void Metric(StringBuilder sb, string name, string help, string type, double value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
}
