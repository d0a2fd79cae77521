using System.Net;
using System.Net.Sockets;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Rtp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// In steady state the packet path allocates nothing: relaying, transcoding, recording, and the real
/// socket path (epoll wait, receive, relay, send) driven on this thread so the allocation counter sees it.
/// </summary>
public sealed class EngineAllocationTests
{
    private const int Warmup = 300;
    private const int Measured = 1000;

    [Fact]
    public void Relaying_a_packet_allocates_nothing()
    {
        var (worker, caller, _, _) = Bridged(AudioCodecs.Pcma, AudioCodecs.Pcma, recorder: null);
        var phone = new Phone();
        var from = Phone.At(4000, "10.0.0.1");
        var payload = new byte[160];
        var packets = Enumerable.Range(0, Warmup + Measured).Select(_ => phone.Packet(8, payload)).ToArray();

        long allocated = Measure(packets.Length, i =>
        {
            caller.OnRtp(packets[i], from, worker.Now);
            if (i % 10 == 0)
                worker.RunTick();
        });
        Assert.Equal(0, allocated);
        Assert.Equal(packets.Length, caller.Counters.RtpReceived);
    }

    [Theory]
    [InlineData("PCMU")]
    [InlineData("G722")]
    public void Transcoding_a_frame_allocates_nothing(string to)
    {
        var (worker, caller, _, callee) = Bridged(AudioCodecs.Pcma, AudioCodecs.All.First(c => c.Name == to), recorder: null);
        var phone = new Phone();
        var from = Phone.At(4000, "10.0.0.1");
        var encoder = new PcmaEncoder();
        var tone = Audio.Tone(1000, 8000, 160);
        var packets = Enumerable.Range(0, Warmup + Measured).Select(_ => phone.Packet(8, Audio.Encode(encoder, tone))).ToArray();

        long allocated = Measure(packets.Length, i =>
        {
            caller.OnRtp(packets[i], from, worker.Now);
            worker.RunTick();
        });
        Assert.Equal(0, allocated);
        Assert.True(callee.Counters.RtpSent > Measured);
    }

    [Fact]
    public void RTCP_reports_and_the_peers_reports_allocate_nothing()
    {
        var worker = new FakeWorker(new MediaEngineOptions { RtcpMinInterval = TimeSpan.FromMilliseconds(100) });
        var leg = worker.AddLeg("caller", out var sink);
        sink.KeepPackets = false;
        leg.Apply(Negotiations.Pcma(), worker.Now);
        leg.PlayTone(ChinaTones.Dial);
        var phone = new Phone();
        var from = Phone.At(4000, "10.0.0.1");
        var rtcpFrom = Phone.At(4001, "10.0.0.1");
        var packets = Enumerable.Range(0, Warmup + Measured).Select(_ => phone.Packet(8, new byte[160])).ToArray();
        var sr = new RtcpCompoundPacket([new RtcpSenderReport(phone.Ssrc, 0x1234_5678_9ABC_DEF0, 1, 10, 1600,
            [new RtcpReportBlock(leg.Out.Ssrc, 0, 0, 1, 2, 0x5678_9ABC, 100)])]);
        var report = new byte[sr.Length];
        sr.WriteTo(report);

        long allocated = Measure(packets.Length, i =>
        {
            leg.OnRtp(packets[i], from, worker.Now);
            if (i % 5 == 0)
                leg.OnRtcp(report, rtcpFrom, worker.Now);
            worker.RunTick();
        });

        Assert.Equal(0, allocated);
        Assert.True(leg.Rtcp!.ReportsSent > 30, $"{leg.Rtcp.ReportsSent} reports"); // the bandwidth share keeps them ~0.5 s apart here
        Assert.True(leg.Rtcp.ReportsReceived > 100);
        Assert.Equal(0, leg.Rtcp.Malformed);
    }

    [Fact]
    public async Task Recording_a_relayed_call_allocates_nothing_on_the_media_thread()
    {
        await using var writer = new RecordingWriter();
        string path = Path.Combine(Path.GetTempPath(), $"hotline-alloc-{Guid.NewGuid():N}.wav");
        var recorder = writer.Start(path, 8000, WavChannelLayout.Stereo);
        try
        {
            var (worker, caller, calleePhoneSide, callee) = Bridged(AudioCodecs.Pcma, AudioCodecs.Pcma, recorder);
            var phone = new Phone();
            var other = new Phone(ssrc: 77);
            var from = Phone.At(4000, "10.0.0.1");
            var to = Phone.At(5000, "10.0.0.2");
            var payload = new byte[160];
            var fromCaller = Enumerable.Range(0, 25).Select(_ => phone.Packet(8, payload)).ToArray();
            var fromCallee = Enumerable.Range(0, 25).Select(_ => other.Packet(8, payload)).ToArray();
            // Frames of a batch of 25 ticks (the stereo 8 kHz frame is 640 B): fewer than the writer queue's first
            // segment holds (32), and the pool has them even if the writer thread sleeps through the batch.
            WriterStock.Reserve(writer, 25, 640);
            long allocated = 0;
            long missesBefore = writer.Pool.Misses;
            WorkerThread.Run(() =>
            {
                for (int batch = 0; batch < (Warmup + Measured) / 25; batch++)
                {
                    // The writer returns the frame buffers from its own thread; let it catch up between batches
                    // so the pool, not the heap, serves the next ones (that wait is not the media path).
                    writer.DrainAsync().Wait();
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int i = 0; i < 25; i++)
                    {
                        caller.OnRtp(fromCaller[i], from, worker.Now);
                        callee.OnRtp(fromCallee[i], to, worker.Now);
                        worker.RunTick();
                    }
                    if (batch >= Warmup / 25)
                        allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    for (int i = 0; i < 25; i++)
                    {
                        phone.Packet(8, payload).CopyTo(fromCaller[i], 0);
                        other.Packet(8, payload).CopyTo(fromCallee[i], 0);
                    }
                }
            });
            Assert.True(allocated == 0, $"{allocated} B allocated on the worker thread; the frame pool missed {writer.Pool.Misses - missesBefore} times in the run, warm-up included");
            Assert.True(callee.Counters.Relayed > Measured);
            Assert.True(calleePhoneSide.RtpCount > Measured);
        }
        finally
        {
            await recorder.StopAsync();
            File.Delete(path);
        }
    }

    [Fact]
    public void The_socket_path_from_epoll_to_sendto_allocates_nothing()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Skip("epoll is Linux only");
        var prompts = new PromptCache();
        var context = new EngineContext(new MediaEngineOptions(), TimeProvider.System, prompts,
            new MusicOnHold("none", Path.Combine(Path.GetTempPath(), "hotline-no-moh"), prompts), NullLogger.Instance);
        using var worker = new MediaWorker(context, 0, PacketReceiveMode.Epoll);
        var ports = new RtpPortAllocator(45000, 45999);
        using var callerSockets = RtpSocketPair.Open(ports, IPAddress.Loopback, 64 * 1024);
        using var calleeSockets = RtpSocketPair.Open(ports, IPAddress.Loopback, 64 * 1024);
        using var callerPhone = PhoneSocket();
        using var calleePhone = PhoneSocket();
        var caller = new RtpLeg(context, "caller", callerSockets, worker.Counters, new Random(1)) { Sockets = callerSockets };
        var callee = new RtpLeg(context, "callee", calleeSockets, worker.Counters, new Random(2)) { Sockets = calleeSockets };
        worker.Adopt(caller, callerSockets);
        worker.Adopt(callee, calleeSockets);
        caller.Apply(Negotiations.Pcma(remote: (IPEndPoint)callerPhone.LocalEndPoint!), worker.Now);
        callee.Apply(Negotiations.Pcma(remote: (IPEndPoint)calleePhone.LocalEndPoint!), worker.Now);
        var bridge = new BridgeCore(caller, callee, null);
        bridge.Start(worker.Now);

        var engineAddress = new IPEndPoint(IPAddress.Loopback, callerSockets.RtpPort).Serialize();
        var received = new SocketAddress(AddressFamily.InterNetwork);
        var packet = new byte[RtpHeader.FixedLength + 160];
        var buffer = new byte[2048];
        ushort sequence = 0;
        int relayed = 0;
        long allocated = Measure(Warmup + Measured, i =>
        {
            new RtpHeader(8, sequence++, (uint)(i * 160), 0x1234, false).WriteTo(packet);
            callerPhone.SendTo(packet, SocketFlags.None, engineAddress);
            // Until the datagram is read and relayed (a wait may return for the wake descriptor alone).
            for (int attempt = 0; attempt < 10 && caller.Counters.RtpReceived <= i; attempt++)
                worker.Pump.Wait(TimeSpan.FromMilliseconds(100), worker);
            if (calleePhone.Poll(100_000, SelectMode.SelectRead))
                relayed += calleePhone.ReceiveFrom(buffer, SocketFlags.None, received) == packet.Length ? 1 : 0;
        });

        Assert.True(relayed == Warmup + Measured, $"relayed {relayed}, received {caller.Counters.RtpReceived}, malformed {caller.Counters.Malformed}, ignored {caller.Counters.Ignored}, rejected {caller.Counters.RejectedSource}, sent {callee.Counters.RtpSent}, errors {callee.Counters.SendErrors}");
        Assert.Equal(0, allocated);
        Assert.Equal(Warmup + Measured, callee.Counters.Relayed);
    }

    private static (FakeWorker Worker, RtpLeg Caller, CapturingSink CalleeSink, RtpLeg Callee) Bridged(
        AudioCodecInfo callerCodec, AudioCodecInfo calleeCodec, WavRecorder? recorder)
    {
        // RTCP builds its reports as objects every few seconds by design; keep it out of the measurement.
        var worker = new FakeWorker(new MediaEngineOptions { RtcpMinInterval = TimeSpan.FromHours(1) });
        var caller = worker.AddLeg("caller", out var callerSink, seed: 1);
        var callee = worker.AddLeg("callee", out var calleeSink, seed: 2);
        caller.Apply(Negotiations.Of(callerCodec, callerCodec.StaticPayloadType), worker.Now);
        callee.Apply(Negotiations.Of(calleeCodec, calleeCodec.StaticPayloadType, 101, new IPEndPoint(IPAddress.Parse("10.0.0.2"), 5000)), worker.Now);
        var bridge = new BridgeCore(caller, callee, recorder);
        worker.Add(bridge);
        bridge.Start(worker.Now);
        // The capture keeps every packet it is given; the allocation tests measure the engine, not it.
        callerSink.KeepPackets = false;
        calleeSink.KeepPackets = false;
        return (worker, caller, calleeSink, callee);
    }

    /// <summary>Bytes allocated on this thread by the calls after the warm-up.</summary>
    private static long Measure(int count, Action<int> step)
    {
        for (int i = 0; i < Warmup; i++)
            step(i);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = Warmup; i < count; i++)
            step(i);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static Socket PhoneSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
