using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Hotline.Switch.Tests.Trunks;

/// <summary>
/// SIPp as a real peer on loopback. Missing SIPp skips the test, unless CI=true, where it fails
/// (CI installs it: apt-get install sip-tester).
/// </summary>
internal sealed class SippPeer : IDisposable
{
    private readonly Process _process;
    // Drained so SIPp never blocks on a full pipe; its final screen is not needed.
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private SippPeer(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }
    public string Directory { get; }
    public string StatFile => Path.Combine(Directory, "stat.csv");

    public static void Require()
    {
        var installed = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "sipp")));
        if (installed) return;
        const string message = "sipp is not installed (apt-get install sip-tester)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        Assert.Skip(message);
    }

    /// <summary>The scenario file beside this source file (or copied beside the test assembly).</summary>
    public static string Scenario(string name, [CallerFilePath] string source = "")
    {
        foreach (var dir in new[] { Path.Combine(Path.GetDirectoryName(source) ?? "", "Sipp"), Path.Combine(AppContext.BaseDirectory, "Trunks", "Sipp") })
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        Assert.Fail($"SIPp scenario {name} not found");
        return "";
    }

    /// <summary>Starts SIPp on a free loopback port and waits until it has bound it.</summary>
    public static async Task<SippPeer> StartAsync(string scenario, params string[] args)
    {
        var port = FreePorts.Udp();
        var mediaPort = FreePorts.SippMedia();
        var directory = System.IO.Directory.CreateTempSubdirectory("hotline-sipp-").FullName;
        var psi = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory,
        };
        foreach (var a in new[] { "-sf", scenario, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-ci", "127.0.0.1", "-p", port.ToString(),
                     "-mp", mediaPort.ToString(), "-nostdin", "-trace_stat", "-stf", Path.Combine(directory, "stat.csv"), "-trace_err",
                     "-error_file", Path.Combine(directory, "err.log"), "-trace_msg", "-message_file", Path.Combine(directory, "msg.log") })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var peer = new SippPeer(Process.Start(psi)!, port, directory);
        for (var i = 0; i < 100 && !peer._process.HasExited && !IsBound(port); i++) await Task.Delay(50);
        if (peer._process.HasExited || !IsBound(port)) Assert.Fail($"sipp did not start: {await peer.OutputAsync()}");
        return peer;
    }

    /// <summary>Waits for SIPp to finish on its own; its exit code (0 = every call succeeded).</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"sipp did not finish within {within}: {await OutputAsync()}");
        }
        return _process.ExitCode;
    }

    public async Task<string> OutputAsync()
    {
        var err = Path.Combine(Directory, "err.log");
        var tail = File.Exists(err) ? await File.ReadAllTextAsync(err) : "";
        return _process.HasExited ? $"{await _stderr}\n{tail}" : tail;
    }

    /// <summary>A column of the last line of SIPp's statistics CSV, e.g. "SuccessfulCall(C)".</summary>
    public string Stat(string column)
    {
        var lines = File.ReadAllLines(StatFile).Where(l => l.Length > 0).ToList();
        var names = lines[0].Split(';');
        var values = lines[^1].Split(';');
        return values[Array.IndexOf(names, column)];
    }


    private static bool IsBound(int port)
    {
        try
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }

    public void Dispose()
    {
        // Only the process this peer started, by its own handle.
        if (!_process.HasExited) _process.Kill();
        _process.Dispose();
    }
}
