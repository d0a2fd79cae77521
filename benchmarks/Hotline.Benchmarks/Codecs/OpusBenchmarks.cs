using BenchmarkDotNet.Attributes;
using Hotline.Media.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>Opus (Concentus) on one 20 ms frame at each PCM rate, default VoIP options (FEC on, complexity 5).</summary>
[MemoryDiagnoser]
public class OpusBenchmarks
{
    private OpusAudioEncoder _encoder = null!;
    private OpusAudioDecoder _decoder = null!;
    private short[] _pcm = null!;
    private short[] _decoded = null!;
    private readonly byte[] _payload = new byte[OpusAudioEncoder.MaxPacketBytes];
    private byte[] _packet = null!;

    [Params(8000, 16000, 48000)]
    public int SampleRate { get; set; } = 16000;

    [GlobalSetup]
    public void Setup()
    {
        _encoder = new OpusAudioEncoder(SampleRate);
        _decoder = new OpusAudioDecoder(SampleRate);
        _pcm = BenchmarkAudio.Frame(SampleRate);
        _decoded = new short[SampleRate / 50];
        // Warm the encoder over a second of audio so the measured frame is a steady-state one.
        var second = BenchmarkAudio.Signal(SampleRate, SampleRate);
        int n = 0;
        for (int at = 0; at < second.Length; at += _decoded.Length)
            n = _encoder.Encode(second.AsSpan(at, _decoded.Length), _payload);
        _packet = _payload[..n];
    }

    [Benchmark]
    public int Encode() => _encoder.Encode(_pcm, _payload);

    [Benchmark]
    public int Decode() => _decoder.Decode(_packet, _decoded);

    [Benchmark]
    public int Conceal() => _decoder.Conceal(_decoded);
}
