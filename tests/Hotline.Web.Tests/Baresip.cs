using System.Diagnostics;
using System.Text;

namespace Hotline.Web.Tests;

/// <summary>A headless baresip phone (config from the interop kit's template) registered to the switch.</summary>
internal sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private Baresip(Process process) => _process = process;

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
        var phone = new Baresip(process);
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
