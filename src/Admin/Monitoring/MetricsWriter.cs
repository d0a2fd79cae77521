using System.Globalization;
using System.Text;
using Hotline.Media.Engine;
using Hotline.Switch.Api;

namespace Hotline.Admin.Monitoring;

/// <summary>The Prometheus text exposition format (version 0.0.4) of the switch's counters and the runtime's GC.</summary>
public sealed class MetricsWriter(ISwitchStatus status, GcPauses gcPauses)
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
        Counter(sb, "hotline_calls_overload_rejected_total", "New calls refused with 503 by overload control or the concurrent-call limit.", c.OverloadRejected);
        Gauge(sb, "hotline_queue_delay_seconds", "How long work waits for a thread (overload control's measure, smoothed).", c.QueueDelayMs / 1000.0);
        Counter(sb, "hotline_calls_rtp_timeout_total", "Answered calls hung up because a party stopped sending RTP and RTCP.", c.RtpTimeouts);
        if (c.Media is { } m)
        {
            Gauge(sb, "hotline_media_endpoints", "RTP endpoints open.", m.Endpoints);
            Counter(sb, "hotline_rtp_packets_received_total", "RTP packets received.", m.RtpReceived);
            Counter(sb, "hotline_rtp_packets_sent_total", "RTP packets sent.", m.RtpSent);
            Counter(sb, "hotline_rtp_packets_relayed_total", "RTP packets relayed without transcoding.", m.Relayed);
            Counter(sb, "hotline_rtp_packets_malformed_total", "RTP packets dropped as malformed.", m.Malformed);
            Counter(sb, "hotline_rtp_packets_rejected_source_total", "RTP packets from an address other than the latched peer.", m.RejectedSource);
            Counter(sb, "hotline_rtp_send_errors_total", "RTP sends that failed.", m.SendErrors);
            Counter(sb, "hotline_media_late_ticks_total", "20 ms media ticks that ran late.", m.LateTicks);
            Counter(sb, "hotline_media_skipped_ticks_total", "20 ms media ticks skipped after a stall (recordings lose those frames).", m.SkippedTicks);
            Counter(sb, "hotline_recording_frames_dropped_total", "Recording frames dropped because the disk fell behind.", m.RecordingFramesDropped);
        }
        var trunks = status.Trunks();
        if (trunks.Count > 0)
        {
            sb.Append("# HELP hotline_trunk_up Whether the trunk answers keep-alives.\n# TYPE hotline_trunk_up gauge\n");
            foreach (var t in trunks) sb.Append(CultureInfo.InvariantCulture, $"hotline_trunk_up{{trunk=\"{Escape(t.Name)}\"}} {(t.Up ? 1 : 0)}\n");
            sb.Append("# HELP hotline_trunk_active_calls Calls on the trunk.\n# TYPE hotline_trunk_active_calls gauge\n");
            foreach (var t in trunks) sb.Append(CultureInfo.InvariantCulture, $"hotline_trunk_active_calls{{trunk=\"{Escape(t.Name)}\"}} {t.ActiveCalls}\n");
        }

        Counter(sb, "dotnet_gc_pause_seconds_total", "Time the runtime paused for garbage collection.", GC.GetTotalPauseDuration().TotalSeconds);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        Gauge(sb, "dotnet_gc_last_pause_seconds", "Pause of the most recent garbage collection.", info.PauseDurations.Length > 0 ? info.PauseDurations[0].TotalSeconds : 0);
        Gauge(sb, "dotnet_gc_pause_time_percent", "Share of time paused for GC since start.", info.PauseTimePercentage);
        // What the latest collection had to do: a pause grows with what survives and what is pinned.
        Gauge(sb, "dotnet_gc_last_generation", "Generation the most recent garbage collection collected.", info.Generation);
        Gauge(sb, "dotnet_gc_last_promoted_bytes", "Bytes that survived the most recent garbage collection.", info.PromotedBytes);
        Gauge(sb, "dotnet_gc_last_pinned_objects", "Pinned objects the most recent garbage collection found.", info.PinnedObjectsCount);
        gcPauses.Write(sb);
        sb.Append("# HELP dotnet_gc_collections_total Garbage collections by generation.\n# TYPE dotnet_gc_collections_total counter\n");
        for (var gen = 0; gen <= GC.MaxGeneration; gen++)
            sb.Append(CultureInfo.InvariantCulture, $"dotnet_gc_collections_total{{generation=\"{gen}\"}} {GC.CollectionCount(gen)}\n");
        Counter(sb, "dotnet_gc_paced_collections_total", "Collections the collection pacer made (Media:GcPaceMs), included in dotnet_gc_collections_total.", CollectionPacer.Collections);
        Gauge(sb, "dotnet_gc_heap_bytes", "Managed heap size.", GC.GetTotalMemory(false));
        Counter(sb, "dotnet_gc_allocated_bytes_total", "Bytes allocated since start.", GC.GetTotalAllocatedBytes());
        Gauge(sb, "process_working_set_bytes", "Resident memory.", Environment.WorkingSet);
        Gauge(sb, "dotnet_threadpool_threads", "Thread pool threads.", ThreadPool.ThreadCount);
        return sb.ToString();
    }

    /// <summary>Label values escape backslash, quote and newline (exposition format).</summary>
    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    private static void Gauge(StringBuilder sb, string name, string help, double value) => Metric(sb, name, help, "gauge", value);

    private static void Counter(StringBuilder sb, string name, string help, double value) => Metric(sb, name, help, "counter", value);

    private static void Metric(StringBuilder sb, string name, string help, string type, double value) =>
        sb.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value.ToString("R", CultureInfo.InvariantCulture)}\n");
}
