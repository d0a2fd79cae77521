using System.Diagnostics;
using System.Text;

namespace Hotline.Web.Tests;

/// <summary>The real switch (dotnet Hotline.dll) as a child process on free loopback ports with its own data directory.</summary>
internal sealed class SwitchProcess : IAsyncDisposable
{
    public const string AdminPassword = "Browser-test-2468";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SwitchProcess(Process process, string dataDirectory, int sipPort, int httpPort)
    {
        _process = process;
        DataDirectory = dataDirectory;
        SipPort = sipPort;
        BaseUrl = $"http://127.0.0.1:{httpPort}";
    }

    public string DataDirectory { get; }
    public int SipPort { get; }
    public string BaseUrl { get; }
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Where the build put Hotline.dll: beside this test project's output, same configuration.</summary>
    public static string HotlineDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../src/Hotline/bin", configuration, "net10.0/Hotline.dll"));
        if (!File.Exists(path)) throw new FileNotFoundException("build src/Hotline first", path);
        return path;
    }

    public static async Task<SwitchProcess> StartAsync(string dataDirectory)
    {
        var sipPort = Ports.FreeUdpAndTcp();
        var httpPort = Ports.FreeUdpAndTcp();
        var dll = HotlineDll();
        // A random even-numbered RTP window, so parallel runs on a shared machine rarely collide.
        var rtp = 40000 + 200 * Random.Shared.Next(0, 100);
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "--Sip:Port", sipPort.ToString(), "--Admin:Urls", $"http://127.0.0.1:{httpPort}", "--Storage:DataDirectory", dataDirectory,
            "--Admin:InitialPassword", AdminPassword, "--Admin:Backup:Enabled", "false",
            "--Media:RtpPortMin", rtp.ToString(), "--Media:RtpPortMax", (rtp + 198).ToString(), "--Logging:LogLevel:Default", "Information" })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var sw = new SwitchProcess(process, dataDirectory, sipPort, httpPort);
        process.OutputDataReceived += (_, e) => sw.Append(e.Data);
        process.ErrorDataReceived += (_, e) => sw.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the switch exited ({process.ExitCode}):\n{sw.Output}");
            try
            {
                using var r = await http.GetAsync($"{sw.BaseUrl}/healthz");
                if (r.IsSuccessStatusCode) return sw;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        await sw.DisposeAsync();
        throw new TimeoutException($"the switch did not answer /healthz:\n{sw.Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
