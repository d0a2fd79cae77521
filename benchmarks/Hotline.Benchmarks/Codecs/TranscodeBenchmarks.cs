using BenchmarkDotNet.Attributes;
using Hotline.Media.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>One 20 ms frame transcoded: decode, resample, encode.</summary>
[MemoryDiagnoser]
public class TranscodeBenchmarks
{
    private readonly byte[] _pcma = new byte[160];
    private readonly byte[] _g722 = new byte[160];
    private readonly byte[] _output = new byte[1500];
    private readonly Transcoder _pcmaToOpus = new(AudioCodecs.Pcma, AudioCodecs.OpusWideband);
    private readonly Transcoder _g722ToPcmu = new(AudioCodecs.G722, AudioCodecs.Pcmu);

    [GlobalSetup]
    public void Setup()
    {
        new PcmaEncoder().Encode(BenchmarkAudio.Frame(8000), _pcma);
        new G722Encoder().Encode(BenchmarkAudio.Frame(16000), _g722);
    }

    [Benchmark]
    public int PcmaToOpusWideband() => _pcmaToOpus.Transcode(_pcma, _output);

    [Benchmark]
    public int G722ToPcmu() => _g722ToPcmu.Transcode(_g722, _output);
}
