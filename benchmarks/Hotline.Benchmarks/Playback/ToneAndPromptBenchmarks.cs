using BenchmarkDotNet.Attributes;
using Hotline.Media.Playback;

namespace Hotline.Benchmarks.Playback;

/// <summary>Per-frame cost of the playback sources a call leg reads each 20 ms tick.</summary>
[MemoryDiagnoser]
public class ToneAndPromptBenchmarks
{
    private ToneGenerator _busy = null!;
    private ToneGenerator _dualTone = null!;
    private MusicOnHoldStream _moh = null!;
    private short[] _frame = [];
    private long _tick;
    private string _folder = "";

    [Params(8000, 16000)]
    public int SampleRate { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _busy = new ToneGenerator(ChinaTones.Busy, SampleRate);
        _dualTone = new ToneGenerator("350+440", SampleRate);
        _frame = new short[SampleRate / 50];
        _folder = Path.Combine(Path.GetTempPath(), "hotline-bench-moh-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
        // An empty class plays its fallback tone; a real file set is covered by the tests.
        _moh = new MusicOnHold("bench", _folder, new PromptCache()).GetStream(SampleRate);
    }

    [Benchmark]
    public void BusyToneFrame() => _busy.Read(_frame);

    [Benchmark]
    public void DualToneFrame() => _dualTone.Read(_frame);

    /// <summary>One new MOH tick read by 100 held callers (one frame produced, 100 copies).</summary>
    [Benchmark(OperationsPerInvoke = 100)]
    public void MusicOnHoldTickFor100Callers()
    {
        long tick = _tick++;
        for (int i = 0; i < 100; i++)
            _moh.Read(tick, _frame);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);
}
