using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Benchmarks.Engine;

/// <summary>
/// The engine's per-packet work without the sockets: one RTP packet into a bridged leg and what it
/// causes. Relay: validate, latch, count, rewrite the header, hand to the (null) socket. Relay with
/// recording: the same plus the jitter buffer and, every tick, decode both sides and hand a stereo frame
/// to the recording writer. Transcode: jitter buffer, then per tick decode, resample, encode, send.
/// Each operation is one packet in and (after a tick, where there is one) one packet out. With many
/// calls, consecutive packets belong to different calls, as at a real server: their state is no longer in
/// the CPU's caches.
/// </summary>
[MemoryDiagnoser]
public class EnginePacketBenchmarks
{
    private static readonly IPEndPoint s_callerPhone = new(IPAddress.Parse("10.0.0.1"), 4000);
    private static readonly IPEndPoint s_calleePhone = new(IPAddress.Parse("10.0.0.2"), 5000);
    private readonly byte[] _packet = new byte[RtpHeader.FixedLength + 160];
    private readonly byte[] _reverse = new byte[RtpHeader.FixedLength + 160];
    private readonly SocketAddress _from = s_callerPhone.Serialize();
    private readonly SocketAddress _reverseFrom = s_calleePhone.Serialize();
    private RtpLeg[] _callers = [];
    private RtpLeg[] _callees = [];
    private BridgeCore[] _bridges = [];
    private byte[][] _packets = [];
    private int _next;
    private RecordingWriter? _writer;
    private string _folder = "";
    private TimeSpan _now;
    private ushort _sequence;

    public enum Path { Relay, RelayRecorded, TranscodePcmu, TranscodeG722 }

    [Params(Path.Relay, Path.RelayRecorded, Path.TranscodePcmu, Path.TranscodeG722)]
    public Path Kind { get; set; }

    [Params(1, 1000)]
    public int Calls { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var prompts = new PromptCache();
        _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hotline-bench-" + Guid.NewGuid().ToString("N"));
        var options = new MediaEngineOptions { RtcpMinInterval = TimeSpan.FromDays(1) };
        var context = new EngineContext(options, TimeProvider.System, prompts, new MusicOnHold("none", _folder, prompts), NullLogger.Instance);
        var counters = new PacketCounters();
        var calleeCodec = Kind switch
        {
            Path.TranscodePcmu => AudioCodecs.Pcmu,
            Path.TranscodeG722 => AudioCodecs.G722,
            _ => AudioCodecs.Pcma,
        };
        if (Kind == Path.RelayRecorded)
            _writer = new RecordingWriter();
        _callers = new RtpLeg[Calls];
        _callees = new RtpLeg[Calls];
        _bridges = new BridgeCore[Calls];
        _packets = new byte[Calls][];
        var payload = new byte[160];
        new PcmaEncoder().Encode(Tone(), payload);
        for (int i = 0; i < Calls; i++)
        {
            _callers[i] = new RtpLeg(context, "caller", NullSink.Instance, counters, new Random(2 * i));
            _callees[i] = new RtpLeg(context, "callee", NullSink.Instance, counters, new Random(2 * i + 1));
            _callers[i].Apply(Negotiation(AudioCodecs.Pcma, s_callerPhone), _now);
            _callees[i].Apply(Negotiation(calleeCodec, s_calleePhone), _now);
            var recorder = _writer?.Start(System.IO.Path.Combine(_folder, $"call{i}.wav"), 8000, WavChannelLayout.Stereo);
            _bridges[i] = new BridgeCore(_callers[i], _callees[i], recorder);
            _bridges[i].Start(_now);
            _packets[i] = new byte[RtpHeader.FixedLength + 160];
            new RtpHeader(8, 0, 0, 0x1234u + (uint)i, false).WriteTo(_packets[i]);
            payload.CopyTo(_packets[i], RtpHeader.FixedLength);
        }
        new RtpHeader(calleeCodec.StaticPayloadType is >= 0 and var pt ? (byte)pt : (byte)8, 0, 0, 0x5678, false).WriteTo(_reverse);
        payload.CopyTo(_reverse, RtpHeader.FixedLength);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _writer?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public long OnePacket()
    {
        // Calls take turns, one packet each; time moves on by a frame once every call has had its packet.
        int call = _next;
        if (++_next == Calls)
        {
            _next = 0;
            _sequence++;
            _now += TimeSpan.FromMilliseconds(20);
        }
        var caller = _callers[call];
        var callee = _callees[call];
        var packet = _packets[call];
        Stamp(packet);
        caller.OnRtp(packet, _from, _now);
        if (Kind != Path.Relay)
        {
            // Recording and transcoding run on the tick; the callee talks too when recorded.
            if (Kind == Path.RelayRecorded)
            {
                Stamp(_reverse);
                callee.OnRtp(_reverse, _reverseFrom, _now);
            }
            long tick = EngineContext.TickOf(_now);
            caller.BeginTick(_now, tick);
            callee.BeginTick(_now, tick);
            _bridges[call].Tick(_now, tick);
        }
        return callee.Counters.RtpSent;
    }

    private void Stamp(byte[] packet)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)(_sequence * 160));
    }

    private static MediaNegotiation Negotiation(AudioCodecInfo codec, IPEndPoint remote) =>
        new(codec, codec.StaticPayloadType, null, 101, 20, remote, new IPEndPoint(remote.Address, remote.Port + 1),
            SdpDirection.SendRecv, false, 0);

    private static short[] Tone()
    {
        var pcm = new short[160];
        for (int i = 0; i < pcm.Length; i++)
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 1000 * i / 8000));
        return pcm;
    }

    private sealed class NullSink : IRtpSink
    {
        public static readonly NullSink Instance = new();
        public bool SendRtp(ReadOnlySpan<byte> packet, SocketAddress destination) => true;
        public bool SendRtcp(ReadOnlySpan<byte> packet, SocketAddress destination) => true;
    }
}
