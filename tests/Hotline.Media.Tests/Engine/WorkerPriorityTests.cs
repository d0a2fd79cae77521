using System.Net;
using Hotline.Media.Engine;

namespace Hotline.Media.Tests.Engine;

/// <summary>MediaEngineOptions.WorkerNice: the media worker threads run at the nice value asked for.</summary>
public sealed class WorkerPriorityTests
{
    [Fact]
    public async Task Media_workers_run_at_the_configured_nice_value_and_other_threads_keep_theirs()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Skip("thread nice values are a Linux feature");
        // Raising the nice value (lower priority) needs no privilege, so the test runs anywhere on Linux.
        int before = WorkerPriority.CurrentThreadNice()!.Value;
        int wanted = Math.Min(19, before + 3);
        await using var engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback, Workers = 1, WorkerNice = wanted,
            RtpPortMin = 46000, RtpPortMax = 46098,
        });
        var endpoint = engine.CreateEndpoint("nice");
        var seen = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        MediaEngine.RunOnOwner(endpoint.Leg, _ => seen.TrySetResult(WorkerPriority.CurrentThreadNice()));

        Assert.Equal(wanted, await seen.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(before, WorkerPriority.CurrentThreadNice());
        await endpoint.DisposeAsync();
    }

    [Fact]
    public void A_nice_value_outside_minus_20_to_19_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MediaEngine(new MediaEngineOptions { WorkerNice = -21 }));
        Assert.Throws<ArgumentException>(() => new MediaEngine(new MediaEngineOptions { WorkerNice = 20 }));
    }
}
