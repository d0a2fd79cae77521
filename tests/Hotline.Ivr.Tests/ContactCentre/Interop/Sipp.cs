using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hotline.Ivr.Tests.ContactCentre.Interop;

/// <summary>
/// SIPp on loopback. A missing tool skips the test on a developer's machine and fails it under CI
/// (CI=true), where it is installed (apt-get install sip-tester).
/// </summary>
internal sealed class Sipp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private Sipp(Process process, int port, string directory)
    {
        _process = process;
        Port = port;
        Directory = directory;
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Port { get; }
    public string Directory { get; }

    public static void Require(string tool = "sipp")
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Any(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, tool)));
        if (found) return;
        var message = $"{tool} is not installed (apt-get install {(tool == "sipp" ? "sip-tester" : tool)})";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)) Assert.Fail(message);
        Assert.Skip(message);
    }


    /// <summary>Starts SIPp with <paramref name="scenario"/> (XML text) on <paramref name="port"/>, waiting until it has bound it.</summary>
    public static async Task<Sipp> StartAsync(string scenario, int port, params string[] args)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("hotline-acd-sipp-").FullName;
        var file = Path.Combine(directory, "scenario.xml");
        await File.WriteAllTextAsync(file, scenario);
        var psi = new ProcessStartInfo("sipp") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in new[] { "-sf", file, "-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", port.ToString(), "-mp", FreePorts.SippMedia().ToString(),
                     "-nostdin", "-trace_err", "-error_file", Path.Combine(directory, "err.log"), "-trace_msg", "-message_file", Path.Combine(directory, "msg.log") })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sipp = new Sipp(Process.Start(psi)!, port, directory);
        for (int i = 0; i < 100 && !sipp._process.HasExited && !Bound(port); i++) await Task.Delay(50);
        if (sipp._process.HasExited) Assert.Fail($"sipp did not start: {await sipp.OutputAsync()}");
        return sipp;
    }

    private static bool Bound(int port)
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

    /// <summary>Waits for SIPp to end by itself; its exit code (0: every call succeeded).</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"sipp did not finish in {within}: {await OutputAsync()}");
        }
        return _process.ExitCode;
    }

    public async Task<string> OutputAsync()
    {
        if (!_process.HasExited) _process.Kill();
        await _process.WaitForExitAsync();
        var errors = Path.Combine(Directory, "err.log");
        return $"{await _stdout}\n{await _stderr}\n{(File.Exists(errors) ? await File.ReadAllTextAsync(errors) : "")}";
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
