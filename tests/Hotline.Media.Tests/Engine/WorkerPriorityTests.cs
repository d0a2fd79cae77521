using System.Net;
using Hotline.Media.Engine;
using Hotline.Media.Recording;

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
    public async Task The_recording_writer_runs_at_the_nice_value_it_is_given()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Skip("thread nice values are a Linux feature");
        int before = WorkerPriority.CurrentThreadNice()!.Value;
        int wanted = Math.Min(19, before + 2);
        var seen = new TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Files are opened on the writer's thread: the hook sees its nice value.
        await using var writer = new RecordingWriter(new RecordingWriterOptions
        {
            ThreadNice = wanted,
            OpenStream = _ =>
            {
                seen.TrySetResult(WorkerPriority.CurrentThreadNice());
                return new MemoryStream();
            },
        });
        var recorder = writer.Start(Path.Combine(Path.GetTempPath(), "nice.wav"), 8000, WavChannelLayout.Mono);
        recorder.Write(new short[160]);

        Assert.Equal(wanted, await seen.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Equal(before, WorkerPriority.CurrentThreadNice());
        await recorder.StopAsync();
    }

    [Fact]
    public void A_nice_value_outside_minus_20_to_19_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new MediaEngine(new MediaEngineOptions { WorkerNice = -21 }));
        Assert.Throws<ArgumentException>(() => new MediaEngine(new MediaEngineOptions { WorkerNice = 20 }));
    }
}
