using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;

namespace Hotline.MediaLoad;

/// <summary>
/// The engine under test, in its own process so its CPU time is its own: N endpoints answering offers
/// from the generator's phones (PCMA; in transcode mode the odd legs PCMU), bridged in pairs, recorded or
/// not; in room mode all in the chosen codec (PCMA or G.722), in conference rooms of --room-size
/// consecutive legs, every member a talker (the room hears who is talking from the audio). Talks to the
/// generator over stdin/stdout: prints READY and the endpoints' RTP ports, then answers
/// MARK (start of the measured window), STOP (end: a JSON line of CPU time and counters over the window)
/// and EXIT.
/// </summary>
internal static class EngineHost
{
    public static async Task<int> Run(Options options)
    {
        int legs = options.Int("legs", 1000);
        string kind = options.String("mode", "relay");
        bool transcode = kind == "transcode";
        var roomCodec = kind == "room" ? RoomTraffic.CodecNamed(options.String("codec", "pcma")) : null;
        string? recordings = options.String("record", "") is { Length: > 0 } r ? r : null;
        var peer = IPEndPoint.Parse(options.String("peer", "127.0.0.1:17000"));
        var mode = Enum.Parse<PacketReceiveMode>(options.String("receive", "Auto"), ignoreCase: true);
        int workers = options.Int("workers", Environment.ProcessorCount);
        int portMin = options.Int("port-min", 20000);

        await using var engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddress = IPAddress.Loopback,
            RtpPortMin = portMin,
            RtpPortMax = portMin + 2 * legs + 998,
            Workers = workers,
            ReceiveMode = mode,
            RecordingsRoot = recordings,
        });
        var endpoints = new List<MediaEndpoint>(legs);
        var bridges = new List<MediaBridge>(legs / 2);
        for (int i = 0; i < legs; i++)
        {
            var endpoint = engine.CreateEndpoint($"leg{i}");
            var codec = roomCodec ?? (transcode && i % 2 == 1 ? AudioCodecs.Pcmu : AudioCodecs.Pcma);
            var answer = endpoint.AnswerOffer(PhoneOffer(peer, codec));
            if (!answer.Ok)
                throw new InvalidOperationException(answer.Error);
            endpoints.Add(endpoint);
        }
        var rooms = new List<ConferenceRoom>();
        if (roomCodec is not null)
            await FillRooms(engine, endpoints, options.Int("room-size", 10), roomCodec.SampleRate, rooms);
        else
        {
            for (int i = 0; i + 1 < legs; i += 2)
                bridges.Add(engine.Bridge(endpoints[i], endpoints[i + 1], recordings is null ? null : $"call{i / 2}.wav"));
        }
        await Task.Delay(500);
        Console.WriteLine("READY " + string.Join(' ', endpoints.Select(e => e.RtpPort)));

        Snapshot? mark = null;
        while (Console.ReadLine() is { } command)
        {
            switch (command)
            {
                case "MARK":
                    mark = Snapshot.Take(engine);
                    Console.WriteLine("MARKED");
                    break;
                case "STOP":
                    var stop = Snapshot.Take(engine);
                    Console.WriteLine(JsonSerializer.Serialize(HostReport.Between(mark ?? stop, stop, engine, bridges)));
                    break;
                case "EXIT":
                    foreach (var bridge in bridges)
                        await bridge.DisposeAsync();
                    foreach (var room in rooms)
                        await room.DisposeAsync();
                    return 0;
            }
        }
        return 0;
    }

    /// <summary>
    /// Rooms of <paramref name="size"/> consecutive endpoints. Each room goes to the least loaded worker as it
    /// is made and its members are gathered there, so the rooms alternate between the workers.
    /// </summary>
    private static async Task FillRooms(MediaEngine engine, List<MediaEndpoint> endpoints, int size, int sampleRate, List<ConferenceRoom> rooms)
    {
        var joins = new List<Task>(endpoints.Count);
        for (int first = 0; first < endpoints.Count; first += size)
        {
            var room = engine.CreateConference($"room{first / size}", sampleRate);
            rooms.Add(room);
            for (int i = first; i < Math.Min(first + size, endpoints.Count); i++)
                joins.Add(room.AddAsync(endpoints[i]));
        }
        await Task.WhenAll(joins);
    }

    private static string PhoneOffer(IPEndPoint peer, AudioCodecInfo codec)
    {
        int pt = codec.StaticPayloadType;
        return string.Create(CultureInfo.InvariantCulture,
            $"v=0\r\no=load 1 1 IN IP4 {peer.Address}\r\ns=-\r\nc=IN IP4 {peer.Address}\r\nt=0 0\r\n" +
            $"m=audio {peer.Port} RTP/AVP {pt} 101\r\na=rtpmap:{pt} {codec.Name}/{codec.ClockRate}\r\na=rtpmap:101 telephone-event/8000\r\n" +
            $"a=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n");
    }

    internal sealed record Snapshot(TimeSpan Cpu, long Wall, MediaEngineStatistics Stats, int Gen0, int Gen2, TimeSpan GcPause, long Allocated)
    {
        public static Snapshot Take(MediaEngine engine)
        {
            using var process = Process.GetCurrentProcess();
            return new Snapshot(process.TotalProcessorTime, Stopwatch.GetTimestamp(), engine.GetStatistics(),
                GC.CollectionCount(0), GC.CollectionCount(2), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: false));
        }
    }

    /// <summary>What the engine did over the measured window.</summary>
    internal sealed record HostReport(
        double CpuSeconds, double WallSeconds, long RtpReceived, long RtpSent, long Relayed, long Malformed,
        long SendErrors, long LateTicks, long SkippedTicks, long Faults, long RecordingFramesDropped, long RecordedFrames,
        string ReceiveMode, int Workers, long PumpWaits, string LegsPerWorker, long SlowTicks,
        int Gen0Collections, int Gen2Collections, double GcPauseMs, long AllocatedBytes)
    {
        public static HostReport Between(Snapshot a, Snapshot b, MediaEngine engine, List<MediaBridge> bridges) => new(
            (b.Cpu - a.Cpu).TotalSeconds,
            (b.Wall - a.Wall) / (double)Stopwatch.Frequency,
            b.Stats.RtpReceived - a.Stats.RtpReceived,
            b.Stats.RtpSent - a.Stats.RtpSent,
            b.Stats.Relayed - a.Stats.Relayed,
            b.Stats.Malformed - a.Stats.Malformed,
            b.Stats.SendErrors - a.Stats.SendErrors,
            b.Stats.LateTicks - a.Stats.LateTicks,
            b.Stats.SkippedTicks - a.Stats.SkippedTicks,
            b.Stats.Faults,
            b.Stats.RecordingFramesDropped - a.Stats.RecordingFramesDropped,
            bridges.Sum(x => x.Recorder?.FramesQueued ?? 0),
            engine.ReceiveMode.ToString(),
            engine.Options.Workers,
            b.Stats.PumpWaits - a.Stats.PumpWaits,
            string.Join('/', b.Stats.LegsPerWorker),
            b.Stats.SlowTicks - a.Stats.SlowTicks,
            b.Gen0 - a.Gen0,
            b.Gen2 - a.Gen2,
            (b.GcPause - a.GcPause).TotalMilliseconds,
            b.Allocated - a.Allocated);
    }
}
