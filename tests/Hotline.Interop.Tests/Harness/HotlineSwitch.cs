using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hotline.Interop.Tests.Harness;

/// <summary>
/// The real switch (Hotline.dll, built beside the tests through the project reference) as a child
/// process on a free port with its own data folder: <c>dotnet Hotline.dll --Sip:Port P
/// --Storage:DataDirectory D [--ConfigFile overlay.json]</c>. Ready once it logs its start line.
/// </summary>
public sealed class HotlineSwitch : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private HotlineSwitch(ExternalProcess process, int port, string directory)
    {
        Process = process;
        Port = port;
        Directory = directory;
    }

    public ExternalProcess Process { get; }
    public int Port { get; }
    public string Directory { get; }

    /// <summary>HOST:PORT, the way SIPp and the scripts take a target.</summary>
    public string Target => $"127.0.0.1:{Port}";

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Hotline.dll");

    /// <summary>
    /// Starts the switch with the demo configuration, <paramref name="overlay"/> (serialised to JSON and
    /// passed as --ConfigFile) laid over it. Retries on another port if the chosen one was taken meanwhile.
    /// </summary>
    public static async Task<HotlineSwitch> StartAsync(string directory, object? overlay = null)
    {
        foreach (var file in new[] { "Hotline.dll", "Hotline.runtimeconfig.json", "appsettings.json" })
        {
            if (!File.Exists(Path.Combine(AppContext.BaseDirectory, file)))
                throw new InvalidOperationException($"{file} is missing from {AppContext.BaseDirectory}: the ProjectReference to src/Hotline should copy it there");
        }
        string? configFile = null;
        if (overlay is not null)
        {
            configFile = Path.Combine(directory, "overlay.json");
            await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(overlay, new JsonSerializerOptions { WriteIndented = true }));
        }
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.UdpAndTcp();
            var args = new List<string>
            {
                Dll,
                "--Sip:Port", port.ToString(),
                "--Storage:DataDirectory", Path.Combine(directory, "data"),
                "--Admin:Urls", "http://127.0.0.1:0",
                // One line per log entry with a timestamp: easy to search, and the order of events is visible.
                "--Logging:Console:FormatterName", "simple",
                "--Logging:Console:FormatterOptions:SingleLine", "true",
                "--Logging:Console:FormatterOptions:TimestampFormat", "HH:mm:ss.fff ",
            };
            if (configFile is not null) args.AddRange(["--ConfigFile", configFile]);
            var process = ExternalProcess.Start(DotnetHost, args, directory, attempt == 1 ? "switch" : $"switch-{attempt}");
            var started = await process.WaitForLineAsync(l => l.Contains("Hotline SIP on udp+tcp", StringComparison.Ordinal), StartTimeout);
            if (started is not null && started.Contains($":{port},", StringComparison.Ordinal)) return new HotlineSwitch(process, port, directory);
            var output = process.Output;
            await process.DisposeAsync();
            if (attempt < 3 && output.Contains("Address already in use", StringComparison.OrdinalIgnoreCase)) continue;
            throw new InvalidOperationException($"the switch did not start within {StartTimeout.TotalSeconds:0} s on port {port}\n{process.Tail(60)}");
        }
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Peer.Find("dotnet") ?? throw new InvalidOperationException("dotnet not found on PATH");

    public IReadOnlyList<string> LogLines => Process.StdoutLines;

    public int CountLog(Regex pattern) => Process.Count(pattern.IsMatch);

    public Task<string?> WaitForLogAsync(Regex pattern, TimeSpan timeout) => Process.WaitForLineAsync(pattern.IsMatch, timeout);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the log lines so far (the switch logs through a
    /// background queue, so a line can appear a little after the SIP answer); returns whether it did.
    /// </summary>
    public async Task<bool> WaitForLogAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (condition(LogLines)) return true;
            if (clock.Elapsed >= timeout) return false;
            await Process.WaitForChangeAsync(timeout - clock.Elapsed);
        }
    }

    /// <summary>Waits until <paramref name="pattern"/> has been logged at least <paramref name="count"/> times; returns how many were seen.</summary>
    public async Task<int> WaitForLogCountAsync(Regex pattern, int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = CountLog(pattern);
            if (seen >= count || clock.Elapsed >= timeout) return seen;
            await Process.WaitForChangeAsync(timeout - clock.Elapsed);
        }
    }

    public string Tail(int lines = 40) => Process.Tail(lines);

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
