using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>A SIP request or response SIPp logged as received (-trace_msg).</summary>
internal sealed record SippMessage(DateTime At, string FirstLine, string CallId, string Text)
{
    public bool IsRequest(string method) => FirstLine.StartsWith(method + " ", StringComparison.Ordinal);

    /// <summary>The status of a response, 0 for a request.</summary>
    public int Status => FirstLine.StartsWith("SIP/2.0 ", StringComparison.Ordinal) && FirstLine.Length >= 11
        ? int.Parse(FirstLine.AsSpan(8, 3), CultureInfo.InvariantCulture) : 0;

    /// <summary>The user part of a request's Request-URI (the number called).</summary>
    public string RequestUser => Regex.Match(FirstLine, @"^\w+ sips?:([^@;> ]+)@").Groups[1].Value;

    public string? Header(string name) =>
        Regex.Match(Text, $@"^{Regex.Escape(name)}:[ \t]*(.*?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;
}

/// <summary>
/// SIPp 3.6 on loopback with a scenario from RealPeers/Scenarios, the way the interop cookbook found
/// reliable: everything bound to 127.0.0.1 (-i, -mi, -ci), its own free SIP, media and control ports,
/// -nostdin, and every message it receives logged (-trace_msg, written as it goes) so the test can count
/// what reached it. A scenario's {{NAME}} placeholders are filled in before SIPp reads it.
/// </summary>
internal sealed class SippPeer : IAsyncDisposable
{
    private static readonly string s_separator = new('-', 47);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _messages;

    private SippPeer(Process process, string name, string directory, int port)
    {
        _process = process;
        Name = name;
        Directory = directory;
        Port = port;
        _messages = Path.Combine(directory, name + ".msg.log");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }
    public string Directory { get; }
    /// <summary>The SIP port SIPp listens on.</summary>
    public int Port { get; }

    public static string Scenario(string file) => Path.Combine(AppContext.BaseDirectory, "RealPeers", "Scenarios", file);

    /// <summary>
    /// Starts SIPp with <paramref name="scenario"/> on <paramref name="port"/> (0: a free one) and waits until it
    /// has bound it. <paramref name="args"/> follow the common ones (a target, -s, -key, -m …).
    /// </summary>
    public static async Task<SippPeer> StartAsync(string directory, string name, string scenario, int port, IReadOnlyDictionary<string, string>? fill = null,
        params string[] args)
    {
        var text = await File.ReadAllTextAsync(Scenario(scenario));
        foreach (var (key, value) in fill ?? new Dictionary<string, string>()) text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        if (text.Contains("{{", StringComparison.Ordinal)) throw new ArgumentException($"{scenario}: a placeholder was left unfilled", nameof(fill));
        var file = Path.Combine(directory, name + ".xml");
        await File.WriteAllTextAsync(file, text);
        if (port == 0) port = FreePorts.Udp();
        var psi = new ProcessStartInfo("sipp") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var a in new[]
                 {
                     "-sf", file, "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture),
                     "-mi", "127.0.0.1", "-mp", FreePorts.SippMedia().ToString(CultureInfo.InvariantCulture),
                     "-ci", "127.0.0.1", "-cp", FreePorts.Udp().ToString(CultureInfo.InvariantCulture),
                     "-nostdin", "-trace_msg", "-message_file", Path.Combine(directory, name + ".msg.log"),
                     "-trace_err", "-error_file", Path.Combine(directory, name + ".err.log"),
                 })
            psi.ArgumentList.Add(a);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sipp = new SippPeer(Process.Start(psi)!, name, directory, port);
        for (var i = 0; i < 200 && !sipp._process.HasExited && !Bound(port); i++) await Task.Delay(25);
        if (sipp._process.HasExited) Assert.Fail($"sipp {name} did not start:\n{sipp.Output}");
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

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    /// <summary>SIPp's screen (stdout and stderr) and its error log so far.</summary>
    public string Output
    {
        get
        {
            string screen;
            lock (_output) screen = _output.ToString();
            var errors = Path.Combine(Directory, Name + ".err.log");
            return $"{screen}\n{(File.Exists(errors) ? ReadShared(errors) : "")}";
        }
    }

    /// <summary>Waits for SIPp to finish by itself; its exit code (0: every call went as the scenario says).</summary>
    public async Task<int> ExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"sipp {Name} did not finish within {within.TotalSeconds:0} s (artefacts in {Directory}):\n{Output}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    /// <summary>Every SIP message SIPp has received so far, in order (retransmissions included).</summary>
    public IReadOnlyList<SippMessage> Received()
    {
        if (!File.Exists(_messages)) return [];
        var list = new List<SippMessage>();
        foreach (var block in ReadShared(_messages).Split(s_separator, StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            if (lines.Length < 3 || !lines[1].Contains("message received", StringComparison.Ordinal)) continue;
            var text = string.Join('\n', lines.Skip(2)).TrimStart('\r', '\n');
            var first = text.Split('\n', 2)[0].TrimEnd('\r');
            DateTime.TryParse(lines[0].Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at);
            var message = new SippMessage(at, first, "", text);
            list.Add(message with { CallId = message.Header("Call-ID") ?? "" });
        }
        return list;
    }

    /// <summary>INVITEs received, one per call (retransmissions folded by Call-ID), in arrival order.</summary>
    public IReadOnlyList<SippMessage> Invites() =>
        Received().Where(m => m.IsRequest("INVITE")).DistinctBy(m => m.CallId).ToList();

    /// <summary>Final responses received for the INVITE (the caller's view of how the call was answered or refused).</summary>
    public IReadOnlyList<int> FinalStatuses() =>
        Received().Where(m => m.Status >= 200 && (m.Header("CSeq") ?? "").EndsWith("INVITE", StringComparison.Ordinal)).Select(m => m.Status).Distinct().ToList();

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
