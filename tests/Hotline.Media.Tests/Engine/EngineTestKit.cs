using Hotline.Media.Recording;
using System.Net;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Media.Tests.Engine;

/// <summary>Records what a leg sends instead of putting it on a socket.</summary>
internal sealed class CapturingSink(Func<TimeSpan> clock) : IRtpSink
{
    public List<(byte[] Packet, IPEndPoint To)> Rtp { get; } = [];
    public List<(byte[] Packet, IPEndPoint To)> Rtcp { get; } = [];

    /// <summary>When each RTCP packet went out.</summary>
    public List<TimeSpan> RtcpTimes { get; } = [];

    /// <summary>False to only count (allocation tests must not measure the capture).</summary>
    public bool KeepPackets { get; set; } = true;

    public long RtpCount { get; private set; }

    public bool SendRtp(ReadOnlySpan<byte> packet, SocketAddress destination)
    {
        RtpCount++;
        if (KeepPackets)
            Rtp.Add((packet.ToArray(), ToEndPoint(destination)));
        return true;
    }

    public bool SendRtcp(ReadOnlySpan<byte> packet, SocketAddress destination)
    {
        if (KeepPackets)
        {
            Rtcp.Add((packet.ToArray(), ToEndPoint(destination)));
            RtcpTimes.Add(clock());
        }
        return true;
    }

    /// <summary>The RTP packets sent, parsed.</summary>
    public List<(RtpHeader Header, byte[] Payload, IPEndPoint To)> Packets() =>
        Rtp.Select(p =>
        {
            Assert.True(RtpHeader.TryRead(p.Packet, out var header));
            return (header, header.GetPayload(p.Packet).ToArray(), p.To);
        }).ToList();

    public void Clear()
    {
        Rtp.Clear();
        Rtcp.Clear();
    }

    private static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
}

/// <summary>
/// Legs and attachments driven on fake time, ticked in the order a worker ticks them, with no thread
/// and no socket: what a leg sends goes to its <see cref="CapturingSink"/>.
/// </summary>
internal sealed class FakeWorker
{
    private readonly List<RtpLeg> _legs = [];
    private readonly List<LegAttachment> _attachments = [];

    public FakeWorker(MediaEngineOptions? options = null, string? musicFolder = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var prompts = new PromptCache(codec => AudioCodecFactory.CreateEncoder(codec));
        var music = new MusicOnHold("test", musicFolder ?? Path.Combine(Path.GetTempPath(), "hotline-no-moh"), prompts);
        Context = new EngineContext(options ?? new MediaEngineOptions(), Time, prompts, music, NullLogger.Instance);
        // Start on a tick boundary, as a worker does.
        Time.Advance(EngineContext.TickPeriod);
    }

    public FakeTimeProvider Time { get; }
    public EngineContext Context { get; }
    public PacketCounters Counters { get; } = new();
    public TimeSpan Now => Context.Now;
    public long Tick => EngineContext.TickOf(Now);

    public RtpLeg AddLeg(string label, out CapturingSink sink, int seed = 1)
    {
        sink = new CapturingSink(() => Now);
        var leg = new RtpLeg(Context, label, sink, Counters, new Random(seed));
        _legs.Add(leg);
        return leg;
    }

    public void Add(LegAttachment attachment) => _attachments.Add(attachment);

    /// <summary>One engine tick at the current time, then time moves on by 20 ms.</summary>
    public void RunTick()
    {
        var now = Now;
        long tick = Tick;
        foreach (var leg in _legs)
            leg.BeginTick(now, tick);
        foreach (var attachment in _attachments)
            attachment.Tick(now, tick);
        foreach (var leg in _legs)
            leg.EndTick(now, tick);
        Time.Advance(EngineContext.TickPeriod);
    }

    public void RunTicks(int count)
    {
        for (int i = 0; i < count; i++)
            RunTick();
    }

    public void Advance(TimeSpan by) => Time.Advance(by);
}

/// <summary>A far end: builds the RTP packets a phone would send.</summary>
internal sealed class Phone(uint ssrc = 0x11223344, ushort sequence = 1000, uint timestamp = 50_000)
{
    private ushort _sequence = sequence;
    private uint _timestamp = timestamp;

    public uint Ssrc { get; } = ssrc;
    public ushort NextSequence => _sequence;
    public uint NextTimestamp => _timestamp;

    public static SocketAddress At(int port, string address = "127.0.0.1") => new IPEndPoint(IPAddress.Parse(address), port).Serialize();

    /// <summary>The next packet of the stream; the timestamp advances by <paramref name="timestampIncrement"/> after it.</summary>
    public byte[] Packet(byte payloadType, ReadOnlySpan<byte> payload, int timestampIncrement = 160, bool marker = false)
    {
        var packet = new byte[RtpHeader.FixedLength + payload.Length];
        new RtpHeader(payloadType, _sequence++, _timestamp, Ssrc, marker).WriteTo(packet);
        payload.CopyTo(packet.AsSpan(RtpHeader.FixedLength));
        _timestamp += (uint)timestampIncrement;
        return packet;
    }

    /// <summary>A telephone-event packet at an explicit event timestamp (all packets of one event share it).</summary>
    public byte[] EventPacket(byte payloadType, uint eventTimestamp, char digit, bool end, ushort duration, bool marker = false)
    {
        var payload = new byte[4];
        new Hotline.Media.Dtmf.Rfc4733Event((byte)Hotline.Media.Dtmf.DtmfDigits.ToEventCode(digit), end, 10, duration).WriteTo(payload);
        var packet = new byte[RtpHeader.FixedLength + 4];
        new RtpHeader(payloadType, _sequence++, eventTimestamp, Ssrc, marker).WriteTo(packet);
        payload.CopyTo(packet.AsSpan(RtpHeader.FixedLength));
        return packet;
    }

    public void Skip(int packets, int timestampIncrement = 160)
    {
        _sequence += (ushort)packets;
        _timestamp += (uint)(packets * timestampIncrement);
    }
}

internal static class Negotiations
{
    public static MediaNegotiation Of(AudioCodecInfo codec, int payloadType, int? eventPayloadType = 101,
        IPEndPoint? remote = null, SdpDirection direction = SdpDirection.SendRecv, bool remoteHold = false, int ptime = 20)
    {
        remote ??= new IPEndPoint(IPAddress.Parse("10.0.0.1"), 4000);
        return new MediaNegotiation(codec, payloadType, null, eventPayloadType, ptime, remote,
            new IPEndPoint(remote.Address, remote.Port + 1), direction, remoteHold, 0);
    }

    public static MediaNegotiation Pcma(int? eventPayloadType = 101, IPEndPoint? remote = null, SdpDirection direction = SdpDirection.SendRecv) =>
        Of(AudioCodecs.Pcma, 8, eventPayloadType, remote, direction);

    public static MediaNegotiation Pcmu(int? eventPayloadType = 101, IPEndPoint? remote = null) =>
        Of(AudioCodecs.Pcmu, 0, eventPayloadType, remote);
}

internal static class Audio
{
    public static short[] Tone(double frequency, int sampleRate, int samples, double amplitude = 8000, int offset = 0)
    {
        var pcm = new short[samples];
        for (int i = 0; i < samples; i++)
            pcm[i] = (short)Math.Round(amplitude * Math.Sin(2 * Math.PI * frequency * (i + offset) / sampleRate));
        return pcm;
    }

    public static byte[] Encode(IAudioEncoder encoder, ReadOnlySpan<short> pcm)
    {
        var payload = new byte[1500];
        int n = encoder.Encode(pcm, payload);
        return payload[..n];
    }

    /// <summary>Decodes payloads back to back (a lost packet is simply absent).</summary>
    public static short[] Decode(AudioCodecInfo codec, IEnumerable<byte[]> payloads)
    {
        var decoder = AudioCodecFactory.CreateDecoder(codec);
        var pcm = new List<short>();
        var frame = new short[codec.SamplesPerFrame(120)];
        foreach (var payload in payloads)
        {
            int n = decoder.Decode(payload, frame);
            pcm.AddRange(frame.AsSpan(0, n).ToArray());
        }
        return [.. pcm];
    }

    public static double Rms(ReadOnlySpan<short> pcm)
    {
        double sum = 0;
        foreach (short s in pcm)
            sum += (double)s * s;
        return pcm.Length == 0 ? 0 : Math.Sqrt(sum / pcm.Length);
    }
}

/// <summary>
/// Runs a measured loop on one dedicated thread, as a media worker runs its ticks: per-thread buffers are made
/// once there, where a loop resuming from awaits on whichever pool thread would count them again on each new one.
/// </summary>
internal static class WorkerThread
{
    public static void Run(Action body)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { body(); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
    }
}

/// <summary>
/// The recording writer's side of an allocation test. Its thread hands frame buffers back to the pool; if the
/// machine deschedules it for a whole measured batch, the ticks find the pool empty and the heap serves them,
/// which measures the scheduler, not the media path. Stocking the pool for a whole batch up front takes that out.
/// </summary>
internal static class WriterStock
{
    /// <summary>Puts <paramref name="count"/> buffers of each frame size (bytes) in the writer's pool.</summary>
    public static void Reserve(RecordingWriter writer, int count, params int[] sizes)
    {
        foreach (int size in sizes)
        {
            var buffers = Enumerable.Range(0, count).Select(_ => writer.Pool.Rent(size)).ToList();
            buffers.ForEach(writer.Pool.Return);
        }
    }
}

internal static class LoopbackEngine
{
    /// <summary>Options for an engine on 127.0.0.1 whose RTP ports are a free range of <paramref name="ports"/>.</summary>
    public static MediaEngineOptions Options(int workers, int ports = 10)
    {
        int first = FreePorts.UdpRange(ports);
        return new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddress = IPAddress.Loopback,
            Workers = workers,
            RtpPortMin = first,
            RtpPortMax = first + ports - 2,
        };
    }
}
