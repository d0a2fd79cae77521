using BenchmarkDotNet.Attributes;
using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;

namespace Hotline.Benchmarks.Dtmf;

[MemoryDiagnoser]
public class DtmfBenchmarks
{
    private const int FrameSamples = 160; // 20 ms at 8 kHz
    private short[] _pcm = [];
    private readonly char[] _digits = new char[4];
    private InbandDtmfDetector _detector = null!;
    private int _frame;

    private (RtpHeader Header, byte[] Payload)[] _packets = [];
    private readonly DtmfDigitEvent[] _events = new DtmfDigitEvent[Rfc4733Receiver.MaxEventsPerPacket];
    private Rfc4733Receiver _receiver = null!;
    private int _packet;

    [GlobalSetup]
    public void Setup()
    {
        // One second of key presses and pauses with a little noise: the detector works on every frame.
        _pcm = new short[8000];
        var generator = new DtmfToneGenerator(8000);
        var rng = new Random(1);
        for (int i = 0; i < 10; i++)
        {
            generator.Start("1234567890"[i], -15);
            generator.Write(_pcm.AsSpan(i * 800, 480));
        }
        for (int i = 0; i < _pcm.Length; i++) _pcm[i] += (short)rng.Next(-100, 100);
        _detector = new InbandDtmfDetector(8000);

        // 100 presses of 10 packets (start, 6 continuations, 3 ends), each press with its own timestamp.
        var sender = new Rfc4733Sender(8000, TimeSpan.FromMilliseconds(20));
        var packets = new List<(RtpHeader, byte[])>();
        ushort sequence = 0;
        for (int press = 0; press < 100; press++)
        {
            uint timestamp = (uint)(press * 4000);
            sender.Start("0123456789*#"[press % 12], timestamp, TimeSpan.FromMilliseconds(140));
            while (sender.TryGetNext(out var evt, out bool marker))
            {
                var payload = new byte[4];
                evt.WriteTo(payload);
                packets.Add((new RtpHeader(101, sequence++, timestamp, 0x0E05384E, marker), payload));
            }
        }
        _packets = [.. packets];
        _receiver = new Rfc4733Receiver(101);
    }

    [Benchmark]
    public int InbandDetectorPerFrame8kHz()
    {
        int offset = _frame++ % (_pcm.Length / FrameSamples) * FrameSamples;
        return _detector.Process(_pcm.AsSpan(offset, FrameSamples), _digits);
    }

    [Benchmark]
    public int Rfc4733ReceiverPerPacket()
    {
        var (header, payload) = _packets[_packet++ % _packets.Length];
        return _receiver.Process(header, payload, TimeSpan.FromMilliseconds(20 * _packet), _events);
    }
}
