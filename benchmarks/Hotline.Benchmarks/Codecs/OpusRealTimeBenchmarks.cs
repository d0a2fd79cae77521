using BenchmarkDotNet.Attributes;
using Hotline.Media.Codecs;

namespace Hotline.Benchmarks.Codecs;

/// <summary>
/// Concentus over a whole file, for the real-time factor comparison with libopus in
/// benchmarks/scripts/opus-vs-libopus.sh. The file (raw s16le mono) and its rate come from
/// HOTLINE_OPUS_BENCH_PCM and HOTLINE_OPUS_BENCH_RATE; without them, 60 s of synthetic speech-like audio
/// at 16 kHz is used. Settings match the script's opusenc call: VOIP, 24 kbit/s, complexity 5, 20 ms,
/// FEC with 10 % expected loss, VBR, wideband.
/// </summary>
[MemoryDiagnoser]
public class OpusRealTimeBenchmarks
{
    private short[] _pcm = null!;
    private List<byte[]> _packets = null!;
    private readonly byte[] _payload = new byte[OpusAudioEncoder.MaxPacketBytes];
    private short[] _decoded = null!;
    private int _rate;
    private int _frame;

    /// <summary>Seconds of audio in the file (for the real-time factor).</summary>
    public double AudioSeconds => (double)_pcm.Length / _rate;

    [GlobalSetup]
    public void Setup()
    {
        _rate = int.TryParse(Environment.GetEnvironmentVariable("HOTLINE_OPUS_BENCH_RATE"), out int r) ? r : 16000;
        string? path = Environment.GetEnvironmentVariable("HOTLINE_OPUS_BENCH_PCM");
        _pcm = path is not null && File.Exists(path)
            ? System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(File.ReadAllBytes(path)).ToArray()
            : BenchmarkAudio.Signal(_rate, _rate * 60);
        _frame = _rate / 50;
        _decoded = new short[_frame];
        _packets = [];
        var encoder = NewEncoder();
        for (int at = 0; at + _frame <= _pcm.Length; at += _frame)
        {
            int n = encoder.Encode(_pcm.AsSpan(at, _frame), _payload);
            _packets.Add(_payload[..n]);
        }
        Console.WriteLine($"// Opus real-time input: {AudioSeconds:F1} s at {_rate} Hz, {_packets.Sum(p => p.Length) * 8 / AudioSeconds / 1000:F1} kbit/s");
    }

    private OpusAudioEncoder NewEncoder() => new(_rate, new OpusOptions(Bitrate: 24000, Complexity: 5, ExpectedLossPercent: 10));

    [Benchmark]
    public int EncodeFile()
    {
        var encoder = NewEncoder();
        int total = 0;
        for (int at = 0; at + _frame <= _pcm.Length; at += _frame)
            total += encoder.Encode(_pcm.AsSpan(at, _frame), _payload);
        return total;
    }

    [Benchmark]
    public int DecodeFile()
    {
        var decoder = new OpusAudioDecoder(_rate);
        int total = 0;
        foreach (var packet in _packets)
            total += decoder.Decode(packet, _decoded);
        return total;
    }
}
