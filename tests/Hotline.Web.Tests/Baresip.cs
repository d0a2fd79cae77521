using System.Diagnostics;
using System.Text;

namespace Hotline.Web.Tests;

/// <summary>A headless baresip phone (config from the interop kit's template) registered to the switch.</summary>
internal sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Baresip(Process process, int controlPort)
    {
        _process = process;
        ControlPort = controlPort;
    }

    /// <summary>The ctrl_tcp port (netstring JSON commands: dial, hangup, quit …).</summary>
    public int ControlPort { get; }

    /// <summary>Sends one ctrl_tcp command and returns the raw response netstring.</summary>
    public async Task<string> CommandAsync(string command, string parameters = "")
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, ControlPort);
        var stream = tcp.GetStream();
        var json = System.Text.Json.JsonSerializer.Serialize(new { command, @params = parameters, token = "t" });
        var bytes = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(json)}:{json},");
        await stream.WriteAsync(bytes);
        var buffer = new byte[8192];
        var response = new StringBuilder();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        // Events can come first on the same connection: read until the response to our token.
        while (!response.ToString().Contains("\"response\":true", StringComparison.Ordinal))
        {
            var n = await stream.ReadAsync(buffer, cancel.Token);
            if (n == 0) break;
            response.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        return response.ToString();
    }

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static Baresip Start(string directory, string user, string password, int switchPort, byte[] sourceWav)
    {
        Directory.CreateDirectory(Path.Combine(directory, "rec"));
        var wav = Path.Combine(directory, "source.wav");
        File.WriteAllBytes(wav, sourceWav);
        var sipPort = Ports.FreeUdpAndTcp();
        var ctrlPort = Ports.FreeUdpAndTcp();
        var rtp = Ports.FreeUdpAndTcp();
        var templates = Path.Combine(AppContext.BaseDirectory, "baresip");
        var config = File.ReadAllText(Path.Combine(templates, "config.template"))
            .Replace("{{SIP_PORT}}", sipPort.ToString()).Replace("{{SRC_WAV}}", wav).Replace("{{RTP_PORTS}}", $"{rtp}-{rtp + 9}")
            .Replace("{{CTRL_PORT}}", ctrlPort.ToString()).Replace("{{REC_DIR}}", Path.Combine(directory, "rec"));
        var account = string.Join('\n', File.ReadAllLines(Path.Combine(templates, "accounts.template")).Where(l => !l.StartsWith('#')))
            .Replace("{{USER}}", user).Replace("{{DOMAIN}}", $"127.0.0.1:{switchPort}").Replace("{{PASS}}", password).Replace("{{ANSWERMODE}}", "auto");
        File.WriteAllText(Path.Combine(directory, "config"), config);
        File.WriteAllText(Path.Combine(directory, "accounts"), account + "\n");
        var info = new ProcessStartInfo("baresip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-f", directory, "-t", "120" }) info.ArgumentList.Add(arg);
        var process = Process.Start(info)!;
        var phone = new Baresip(process, ctrlPort);
        process.OutputDataReceived += (_, e) => phone.Append(e.Data);
        process.ErrorDataReceived += (_, e) => phone.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return phone;
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
