using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Hotline.Media.Codecs;
using NAudio.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>G.722 64 kbit/s on one 20 ms frame (320 samples), ours beside NAudio's port of the same algorithm.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class G722Benchmarks
{
    private readonly short[] _pcm = BenchmarkAudio.Frame(16000);
    private readonly byte[] _payload = new byte[160];
    private readonly short[] _decoded = new short[320];
    private readonly G722Encoder _encoder = new();
    private readonly G722Decoder _decoder = new();
    private readonly G722Codec _naudio = new();
    private readonly G722CodecState _naudioEncoder = new(64000, G722Flags.None);
    private readonly G722CodecState _naudioDecoder = new(64000, G722Flags.None);

    [GlobalSetup]
    public void Setup() => _encoder.Encode(_pcm, _payload);

    [Benchmark(Baseline = true), BenchmarkCategory("Encode")]
    public int NAudioEncode() => _naudio.Encode(_naudioEncoder, _payload, _pcm, _pcm.Length);

    [Benchmark, BenchmarkCategory("Encode")]
    public int HotlineEncode() => _encoder.Encode(_pcm, _payload);

    [Benchmark(Baseline = true), BenchmarkCategory("Decode")]
    public int NAudioDecode() => _naudio.Decode(_naudioDecoder, _decoded, _payload, _payload.Length);

    [Benchmark, BenchmarkCategory("Decode")]
    public int HotlineDecode() => _decoder.Decode(_payload, _decoded);

    [Benchmark, BenchmarkCategory("Decode")]
    public int HotlineConceal() => _decoder.Conceal(_decoded);
}
