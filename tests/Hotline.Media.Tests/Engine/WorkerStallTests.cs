using System.Diagnostics;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A media worker that loses its core for a while (a busy machine, a GC pause) must not cut that time out
/// of the calls' recordings: packets wait in the sockets, and the worker works off the missed ticks when it
/// runs again, up to <see cref="MediaEngineOptions.MaxTickCatchUp"/>; beyond that it skips to the present.
/// One worker, a recorded PCMA call between two phones on loopback, and the worker blocked by a command.
/// </summary>
public sealed class WorkerStallTests
{
    [Fact]
    public async Task A_stall_within_the_catch_up_limit_leaves_the_recording_as_long_as_the_call()
    {
        var (wall, recorded, stats) = await RecordAcrossStall(stall: TimeSpan.FromMilliseconds(400), catchUp: TimeSpan.FromSeconds(1));

        Assert.Equal(0, stats.SkippedTicks);
        Assert.True(stats.LateTicks >= 10, $"the stall made {stats.LateTicks} ticks late");
        // Every tick writes a frame, so the file is as long as the ticks the call lived through.
        Assert.InRange((recorded - wall).TotalMilliseconds, -120, 60);
    }

    [Fact]
    public async Task A_stall_past_the_limit_skips_the_missed_ticks_and_counts_them()
    {
        var (wall, recorded, stats) = await RecordAcrossStall(stall: TimeSpan.FromMilliseconds(400), catchUp: TimeSpan.FromMilliseconds(100));

        // 400 ms behind, 100 allowed: the worker skipped to the present, all 400 ms of ticks, and the file shows it.
        Assert.InRange(stats.SkippedTicks, 15, 30);
        Assert.InRange((wall - recorded).TotalMilliseconds, 280, 640);
    }

    private static async Task<(TimeSpan Wall, TimeSpan Recorded, MediaEngineStatistics Stats)> RecordAcrossStall(TimeSpan stall, TimeSpan catchUp)
    {
        if (!OperatingSystem.IsLinux())
            Assert.Skip("epoll is Linux only");
        var folder = Path.Combine(Path.GetTempPath(), "hotline-stall-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var engine = new MediaEngine(LoopbackEngine.Options(workers: 1) with
        {
            ReceiveMode = PacketReceiveMode.Epoll,
            RecordingsRoot = folder,
            MaxTickCatchUp = catchUp,
        });
        try
        {
            using var alice = new UdpPhone(AudioCodecs.Pcma);
            using var bob = new UdpPhone(AudioCodecs.Pcma);
            await using var caller = engine.CreateEndpoint("alice");
            await using var callee = engine.CreateEndpoint("bob");
            var answer = caller.AnswerOffer(alice.Offer());
            Assert.True(answer.Ok, answer.Error);
            alice.ConnectTo(answer.Sdp!);
            Assert.Null(callee.ApplyAnswer(bob.Answer(callee.CreateOffer())));
            alice.PlayTone(700);
            bob.PlayTone(1300);

            var bridge = engine.Bridge(caller, callee, "stall.wav");
            var clock = Stopwatch.StartNew();
            await Task.Delay(600, TestContext.Current.CancellationToken);
            var before = engine.GetStatistics();
            using (var stalled = new ManualResetEventSlim())
            {
                // Blocks the worker's thread: no packet read, no tick run, as when the scheduler takes its core.
                MediaEngine.RunOnOwner(caller.Leg, _ =>
                {
                    stalled.Set();
                    Thread.Sleep(stall);
                });
                Assert.True(stalled.Wait(TimeSpan.FromSeconds(5)));
            }
            await Task.Delay(stall + TimeSpan.FromMilliseconds(800), TestContext.Current.CancellationToken);
            var after = engine.GetStatistics();
            await bridge.DisposeAsync();
            var wall = clock.Elapsed;

            var (format, channels) = WavReading.Read(bridge.RecordingPath!);
            Assert.Equal(2, format.Channels);
            var recorded = TimeSpan.FromSeconds(channels[0].Length / (double)format.SampleRate);
            var stats = after with { LateTicks = after.LateTicks - before.LateTicks, SkippedTicks = after.SkippedTicks - before.SkippedTicks };
            return (wall, recorded, stats);
        }
        finally
        {
            await engine.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }
}
