using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Hotline.MediaLoad;

/// <summary>
/// One measured step: start the generator's socket, start the engine host as a child process pointed at
/// it, send for a warm-up (latching, jitter buffers filling), then measure a window of the given length,
/// and collect both sides' figures (in room mode the generator counts what comes back instead of matching stamps). The machine's load average is read before and after, because other
/// work on the machine changes the result.
/// </summary>
internal static class Runner
{
    public static StepResult RunStep(Options options, int legs)
    {
        string mode = options.String("mode", "relay");
        bool transcode = mode == "transcode";
        var rooms = mode == "room"
            ? new RoomTraffic(RoomTraffic.CodecNamed(options.String("codec", "pcma")), legs, options.Int("room-size", 10), options.Int("talkers", 2))
            : null;
        int seconds = options.Int("seconds", 20);
        int warmup = options.Int("warmup", 3);
        string record = options.String("record", "");
        string load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        if (record.Length > 0 && Directory.Exists(record))
            Directory.Delete(record, recursive: true);

        using var generator = new Generator(legs, transcode, warmup + seconds + 10, rooms);
        using var host = StartHost(options, legs, generator.LocalEndPoint.ToString());
        try
        {
            var ready = host.StandardOutput.ReadLine() ?? throw new InvalidOperationException("engine host ended: " + host.StandardError.ReadToEnd());
            if (!ready.StartsWith("READY ", StringComparison.Ordinal))
                throw new InvalidOperationException("engine host said: " + ready);
            var ports = ready[6..].Split(' ').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            generator.Connect(ports);
            using var self = Process.GetCurrentProcess();
            generator.Start();
            Thread.Sleep(TimeSpan.FromSeconds(warmup));

            Ask(host, "MARK", "MARKED");
            var cpuBefore = self.TotalProcessorTime;
            generator.OpenWindow();
            Thread.Sleep(TimeSpan.FromSeconds(seconds));
            generator.CloseWindow();
            self.Refresh();
            var generatorCpu = (self.TotalProcessorTime - cpuBefore).TotalSeconds;
            host.StandardInput.WriteLine("STOP");
            var engine = JsonSerializer.Deserialize<EngineHost.HostReport>(host.StandardOutput.ReadLine()!)!;
            // In-flight packets of the window still come back (transcoding holds ~40-60 ms in jitter buffers).
            Thread.Sleep(500);
            generator.StopSending();
            Thread.Sleep(300);
            generator.StopReceiving();
            string loadAfter = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            host.StandardInput.WriteLine("EXIT");
            if (!host.WaitForExit(60_000))
                host.Kill();
            if (rooms is not null)
                return new RoomStepResult(legs, rooms.Codec.Name, options.Int("room-size", 10), options.Int("talkers", 2),
                    rooms.Report(), engine, generatorCpu, load, loadAfter);
            var report = generator.Report(lateAfterMilliseconds: options.Double("late-ms", 20));
            return new StreamStepResult(legs, transcode ? "transcode" : "relay", record.Length > 0, engine.ReceiveMode, engine.Workers,
                report, engine, generatorCpu, load, loadAfter, generator.Unreadable);
        }
        finally
        {
            if (!host.HasExited)
                host.Kill(entireProcessTree: true);
            if (record.Length > 0 && Directory.Exists(record))
                Directory.Delete(record, recursive: true);
        }
    }

    private static Process StartHost(Options options, int legs, string peer)
    {
        var psi = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string? assembly = typeof(Runner).Assembly.Location;
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
            psi.ArgumentList.Add(assembly);
        foreach (var arg in new[] { "host", "--legs", legs.ToString(CultureInfo.InvariantCulture), "--peer", peer })
            psi.ArgumentList.Add(arg);
        foreach (var arg in options.Forward("mode", "codec", "room-size", "record", "receive", "workers", "port-min"))
            psi.ArgumentList.Add(arg);
        return Process.Start(psi)!;
    }

    private static void Ask(Process host, string command, string answer)
    {
        host.StandardInput.WriteLine(command);
        string? line = host.StandardOutput.ReadLine();
        if (line != answer)
            throw new InvalidOperationException($"engine host answered '{line}' to {command}");
    }
}

/// <summary>One step's outcome: what the engine did, and the generator's figures in its mode's terms.</summary>
internal abstract record StepResult(int Legs, EngineHost.HostReport Engine, double GeneratorCpuSeconds, string LoadBefore, string LoadAfter)
{
    public double CpuMicrosecondsPerPacket => Engine.RtpReceived == 0 ? double.NaN : Engine.CpuSeconds * 1e6 / Engine.RtpReceived;
    public double EngineCpuPercent => 100 * Engine.CpuSeconds / Engine.WallSeconds;
    public double GeneratorCpuPercent => 100 * GeneratorCpuSeconds / Engine.WallSeconds;
    public double PacketsPerWait => Engine.PumpWaits == 0 ? 0 : Engine.RtpReceived / (double)Engine.PumpWaits;

    public static string Header(string mode) => mode == "room" ? RoomStepResult.Header : StreamStepResult.Header;

    /// <summary>Whether the step held (a sweep stops after the first that did not).</summary>
    public abstract bool Passed(double maxLossPercent);
}

/// <summary>A relay or transcode step: every packet matched to the one sent by its stamp.</summary>
internal sealed record StreamStepResult(int Legs, string Mode, bool Recording, string ReceiveMode, int Workers, GeneratorReport Generator,
    EngineHost.HostReport Engine, double GeneratorCpuSeconds, string LoadBefore, string LoadAfter, long Unreadable)
    : StepResult(Legs, Engine, GeneratorCpuSeconds, LoadBefore, LoadAfter)
{
    public double LossPercent => Generator.Sent == 0 ? 100 : 100.0 * Generator.Lost / Generator.Sent;
    public double LatePercent => Generator.Sent == 0 ? 0 : 100.0 * Generator.Late / Generator.Sent;

    public override bool Passed(double maxLossPercent) => LossPercent + LatePercent < maxLossPercent;

    public static new string Header =>
        "legs  mode       rec  recv          sent     lost%   late%   p50ms  p99ms  p99.9ms  maxms  engCPU%  us/pkt  genCPU%  lateTicks  recDrop  pkt/wait  legs/worker  slowTicks  gc0/gc2/pause  allocMB  load(before/after)";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Legs,5} {Mode,-10} {(Recording ? "yes" : "no"),-4} {ReceiveMode,-12} {Generator.Sent,9} {LossPercent,7:F3} {LatePercent,7:F3} " +
        $"{Generator.P50 / 1000,7:F2} {Generator.P99 / 1000,6:F2} {Generator.P999 / 1000,8:F2} {Generator.Max / 1000,6:F1} " +
        $"{EngineCpuPercent,8:F1} {CpuMicrosecondsPerPacket,7:F2} {GeneratorCpuPercent,8:F1} " +
        $"{Engine.LateTicks,10} {Engine.RecordingFramesDropped,8} {PacketsPerWait,9:F1}  {Engine.LegsPerWorker,-11}  {Engine.SlowTicks,9}  {Engine.Gen0Collections}/{Engine.Gen2Collections}/{Engine.GcPauseMs:F0}ms  {Engine.AllocatedBytes / 1e6,6:F1}  {LoadBefore}/{LoadAfter}");
}

/// <summary>
/// A room step: packets the legs received in the window against the 50 a second each is owed, and the
/// content check. It holds with at most <c>maxLossPercent</c> missing, no skipped tick and every sampled
/// leg hearing the right tones.
/// </summary>
internal sealed record RoomStepResult(int Legs, string Codec, int RoomSize, int Talkers, RoomReport Rooms,
    EngineHost.HostReport Engine, double GeneratorCpuSeconds, string LoadBefore, string LoadAfter)
    : StepResult(Legs, Engine, GeneratorCpuSeconds, LoadBefore, LoadAfter)
{
    public override bool Passed(double maxLossPercent) =>
        Rooms.MissingPercent <= maxLossPercent && Engine.SkippedTicks == 0 && Rooms.ContentOk;

    public static new string Header =>
        "legs  codec size talk   expected   received  missing%  worstLeg%  lateTicks  skipTicks  engCPU%  us/pkt  genCPU%    rtpIn/s   rtpOut/s  pkt/wait  legs/worker  slowTicks  gc0/gc2/pause  allocMB  content   load(before/after)  verdict";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Legs,5} {Codec,-5} {RoomSize,4} {Talkers,4} {Rooms.Expected,10:F0} {Rooms.Received,10} {Rooms.MissingPercent,9:F3} {100 * Rooms.WorstLegFraction,10:F1} " +
        $"{Engine.LateTicks,10} {Engine.SkippedTicks,10} {EngineCpuPercent,8:F1} {CpuMicrosecondsPerPacket,7:F2} {GeneratorCpuPercent,8:F1} " +
        $"{Engine.RtpReceived / Engine.WallSeconds,10:F0} {Engine.RtpSent / Engine.WallSeconds,10:F0} {PacketsPerWait,9:F1}  {Engine.LegsPerWorker,-11}  {Engine.SlowTicks,9}  " +
        $"{Engine.Gen0Collections}/{Engine.Gen2Collections}/{Engine.GcPauseMs:F0}ms  {Engine.AllocatedBytes / 1e6,6:F1}  " +
        $"{(Rooms.ContentOk ? "ok" : "FAIL"),4} {Rooms.ContentChecked - Rooms.ContentFailed,2}/{Rooms.ContentChecked,-2}  {LoadBefore + "/" + LoadAfter,-18}  {(Passed(0.1) ? "pass" : "FAIL")}{(Rooms.FirstProblem is { } problem ? "  (" + problem + ")" : "")}");
}
