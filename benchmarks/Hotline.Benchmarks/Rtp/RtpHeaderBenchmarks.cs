using BenchmarkDotNet.Attributes;
using Hotline.Media.Rtp;

namespace Hotline.Benchmarks.Rtp;

[MemoryDiagnoser]
public class RtpHeaderBenchmarks
{
    private readonly byte[] _packet = new byte[12 + 160];
    private readonly byte[] _output = new byte[12 + 160];
    private RtpHeader _header;

    [GlobalSetup]
    public void Setup()
    {
        _header = new RtpHeader(8, 65000, 123456, 0xDEE0EE8F, false, 0, false, 0, 0, 0, 160);
        _header.WriteTo(_packet);
    }

    [Benchmark]
    public int Parse()
    {
        RtpHeader.TryRead(_packet, out var header);
        return header.GetPayload(_packet).Length + header.SequenceNumber;
    }

    [Benchmark]
    public int Serialise()
    {
        _header = _header.With((ushort)(_header.SequenceNumber + 1), _header.Timestamp + 160, false, 160);
        return _header.WriteTo(_output);
    }
}
