using System.Text;
using System.Text.RegularExpressions;
using Hotline.Admin.Monitoring;

namespace Hotline.Admin.Tests;

public sealed class GcPausesTests
{
    [Fact]
    public async Task A_forced_collection_shows_up_as_a_pause_in_the_histogram()
    {
        using var pauses = new GcPauses();
        var count = await CollectUntilCounted(pauses, 2, "dotnet_gc_pause_duration_seconds", DateTime.UtcNow.AddSeconds(20));

        Assert.True(count > 0, "no GC pause recorded within 20 s of forced collections");
        var text = Text(pauses);
        Assert.Matches(@"dotnet_gc_pause_max_seconds [0-9.E-]+\n", text);
        Assert.DoesNotMatch(@"dotnet_gc_pause_max_seconds 0\n", text);
    }

    [Fact]
    public void Buckets_are_cumulative_and_end_with_the_count()
    {
        using var pauses = new GcPauses();
        GC.Collect();
        var text = Text(pauses);
        var buckets = Regex.Matches(text, "dotnet_gc_pause_duration_seconds_bucket\\{le=\"[^\"]+\"\\} ([0-9]+)\n").Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(buckets.Count > 10);
        for (var i = 1; i < buckets.Count; i++) Assert.True(buckets[i] >= buckets[i - 1], $"bucket {i} is below bucket {i - 1}");
        Assert.Contains($"dotnet_gc_pause_duration_seconds_count {buckets[^1]}\n", text);
    }

    [Fact]
    public async Task Each_pause_also_records_how_long_stopping_the_threads_took()
    {
        using var pauses = new GcPauses();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var suspensions = await CollectUntilCounted(pauses, 0, "dotnet_gc_suspend_duration_seconds", deadline);

        Assert.True(suspensions > 0, "no GC suspension recorded within 20 s of forced collections");
        // Stopping the threads is part of the pause, so it cannot take longer than the pauses in all. Read
        // from one snapshot where every suspension's pause has ended (the pause is recorded a little later).
        string text;
        do
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
            text = Text(pauses);
        } while (Value(text, "dotnet_gc_suspend_duration_seconds_count") != Value(text, "dotnet_gc_pause_duration_seconds_count") && DateTime.UtcNow < deadline.AddSeconds(10));
        Assert.Equal(Value(text, "dotnet_gc_pause_duration_seconds_count"), Value(text, "dotnet_gc_suspend_duration_seconds_count"));
        Assert.True(Value(text, "dotnet_gc_suspend_duration_seconds_sum") <= Value(text, "dotnet_gc_pause_duration_seconds_sum"));
    }

    /// <summary>Forces collections of <paramref name="generation"/> until <paramref name="histogram"/> counts one, or the deadline.</summary>
    private static async Task<long> CollectUntilCounted(GcPauses pauses, int generation, string histogram, DateTime deadline)
    {
        long count;
        do
        {
            GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
            // The runtime hands its events to listeners on its own dispatch thread, a little later.
            await Task.Delay(200, TestContext.Current.CancellationToken);
            count = Count(pauses, histogram);
        } while (count == 0 && DateTime.UtcNow < deadline);
        return count;
    }

    private static double Value(string text, string series) =>
        double.Parse(Regex.Match(text, series + " ([0-9.E+-]+)\n").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(GcPauses pauses)
    {
        var sb = new StringBuilder();
        pauses.Write(sb);
        return sb.ToString();
    }

    private static long Count(GcPauses pauses, string name = "dotnet_gc_pause_duration_seconds") =>
        long.Parse(Regex.Match(Text(pauses), name + "_count ([0-9]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
}
