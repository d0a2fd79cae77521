using BenchmarkDotNet.Attributes;
using Hotline.Media.Recording;

namespace Hotline.Benchmarks.Recording;

/// <summary>
/// What recording costs the media thread: handing one 20 ms frame of one call over to the shared
/// writer (copy into a pooled buffer and queue), for 100 concurrent recordings per tick. The writer
/// thread writes to files under /tmp meanwhile; any frames it couldn't keep up with are dropped
/// and printed at the end.
/// </summary>
[MemoryDiagnoser]
public class RecorderHandOffBenchmarks
{
    private const int Calls = 100;
    private RecordingWriter _writer = null!;
    private WavRecorder[] _recorders = [];
    private short[] _left = [];
    private short[] _right = [];
    private string _folder = "";

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [Params(WavChannelLayout.Mono, WavChannelLayout.Stereo)]
    public WavChannelLayout Layout { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "hotline-bench-rec-" + Guid.NewGuid().ToString("N"));
        _writer = new RecordingWriter(new RecordingWriterOptions { MaxBacklogFrames = 200_000 });
        _recorders = Enumerable.Range(0, Calls).Select(i => _writer.Start(Path.Combine(_folder, $"call-{i}.wav"), SampleRate, Layout)).ToArray();
        _left = Enumerable.Range(0, SampleRate / 50).Select(i => (short)(i * 37)).ToArray();
        _right = Enumerable.Range(0, SampleRate / 50).Select(i => (short)(i * -53)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Calls)]
    public void HandOffOneFrame()
    {
        foreach (var r in _recorders)
            r.WriteStereo(_left, _right);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Console.WriteLine($"// recorder: {_recorders.Sum(r => r.FramesQueued)} frames queued, {_writer.DroppedFrames} dropped (backlog full)");
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }
}
