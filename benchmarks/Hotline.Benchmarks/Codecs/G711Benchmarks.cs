using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Hotline.Media.Codecs;
using NAudio.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>G.711 on one 20 ms frame (160 samples): ours against NAudio's per-sample functions, side by side.</summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class G711Benchmarks
{
    private readonly short[] _pcm = BenchmarkAudio.Frame(8000);
    private readonly byte[] _muLaw = new byte[160];
    private readonly byte[] _aLaw = new byte[160];
    private readonly byte[] _codes = new byte[160];
    private readonly short[] _decoded = new short[160];

    [GlobalSetup]
    public void Setup()
    {
        G711.EncodeMuLaw(_pcm, _muLaw);
        G711.EncodeALaw(_pcm, _aLaw);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("MuLawEncode")]
    public byte NAudioMuLawEncode()
    {
        for (int i = 0; i < _pcm.Length; i++)
            _codes[i] = MuLawEncoder.LinearToMuLawSample(_pcm[i]);
        return _codes[0];
    }

    [Benchmark, BenchmarkCategory("MuLawEncode")]
    public int HotlineMuLawEncode() => G711.EncodeMuLaw(_pcm, _codes);

    [Benchmark(Baseline = true), BenchmarkCategory("ALawEncode")]
    public byte NAudioALawEncode()
    {
        for (int i = 0; i < _pcm.Length; i++)
            _codes[i] = ALawEncoder.LinearToALawSample(_pcm[i]);
        return _codes[0];
    }

    [Benchmark, BenchmarkCategory("ALawEncode")]
    public int HotlineALawEncode() => G711.EncodeALaw(_pcm, _codes);

    [Benchmark(Baseline = true), BenchmarkCategory("MuLawDecode")]
    public short NAudioMuLawDecode()
    {
        for (int i = 0; i < _muLaw.Length; i++)
            _decoded[i] = MuLawDecoder.MuLawToLinearSample(_muLaw[i]);
        return _decoded[0];
    }

    [Benchmark, BenchmarkCategory("MuLawDecode")]
    public void NAudioMuLawDecodeSpan() => MuLawDecoder.Decode(_muLaw, _decoded);

    [Benchmark, BenchmarkCategory("MuLawDecode")]
    public int HotlineMuLawDecode() => G711.DecodeMuLaw(_muLaw, _decoded);

    [Benchmark(Baseline = true), BenchmarkCategory("ALawDecode")]
    public short NAudioALawDecode()
    {
        for (int i = 0; i < _aLaw.Length; i++)
            _decoded[i] = ALawDecoder.ALawToLinearSample(_aLaw[i]);
        return _decoded[0];
    }

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public void NAudioALawDecodeSpan() => ALawDecoder.Decode(_aLaw, _decoded);

    [Benchmark, BenchmarkCategory("ALawDecode")]
    public int HotlineALawDecode() => G711.DecodeALaw(_aLaw, _decoded);
}
