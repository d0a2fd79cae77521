using BenchmarkDotNet.Attributes;
using Hotline.Media.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>One 20 ms frame through a stateful polyphase resampler.</summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private Resampler _resampler = null!;
    private short[] _input = null!;
    private short[] _output = null!;

    [Params("8000->16000", "16000->8000", "8000->48000", "48000->8000", "16000->48000", "48000->16000")]
    public string Conversion { get; set; } = "8000->16000";

    [GlobalSetup]
    public void Setup()
    {
        var rates = Conversion.Split("->");
        int from = int.Parse(rates[0]), to = int.Parse(rates[1]);
        _resampler = new Resampler(from, to);
        _input = BenchmarkAudio.Frame(from);
        _output = new short[to / 50];
    }

    [Benchmark]
    public int Frame() => _resampler.Process(_input, _output);
}
