using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>One ctrl_tcp event of baresip 1.0, e.g. CALL_ESTABLISHED, with the call it is about.</summary>
public sealed record BaresipEvent(DateTime At, string Type, string? CallId, string? PeerUri, string? Param, string Json)
{
    public override string ToString() => $"{At:HH:mm:ss.fff} {Type} id={CallId} peer={PeerUri} param={Param}";
}

/// <summary>
/// A baresip 1.0 softphone run headless for a call test: its own config folder (ports from
/// <see cref="FreePorts"/>), a sine WAV as microphone, what it hears recorded by sndfile, and its
/// ctrl_tcp socket (netstring-framed JSON, see the interop cookbook) for commands and events. The
/// process is started through the test, so the test kills it when it ends.
/// </summary>
public sealed partial class BaresipPhone : IAsyncDisposable
{
    private readonly List<BaresipEvent> _events = [];
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly Lock _lock = new();
    private readonly Lock _logLock = new();
    private readonly TcpClient _control;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _send = new(1, 1);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _token;

    private BaresipPhone(string user, int toneHz, string home, ExternalProcess process, int sipPort, TcpClient control)
    {
        User = user;
        ToneHz = toneHz;
        Home = home;
        Process = process;
        SipPort = sipPort;
        _control = control;
        _stream = control.GetStream();
        EventLog = Path.Combine(home, "events.log");
        _ = Task.Run(ReadLoopAsync);
    }

    public string User { get; }
    public int ToneHz { get; }
    public string Home { get; }
    public ExternalProcess Process { get; }
    public int SipPort { get; }
    public string EventLog { get; }
    public string RecordingFolder => Path.Combine(Home, "rec");

    public IReadOnlyList<BaresipEvent> Events
    {
        get { lock (_lock) return _events.ToList(); }
    }

    /// <param name="codecs">baresip's audio_codecs account parameter, e.g. "PCMU,PCMA" or "opus/48000/2".</param>
    /// <param name="answer">answermode: "auto" answers every call, "manual" waits for accept.</param>
    /// <param name="sipTrace">-s: baresip prints every SIP message it sends and receives (see <see cref="SipTrace"/>).</param>
    public static async Task<BaresipPhone> StartAsync(CallsTest test, string user, string password, int toneHz, string codecs, string answer,
        bool sipTrace = false)
    {
        Peer.Require("baresip");
        var home = Path.Combine(test.Folder, "baresip-" + user);
        Directory.CreateDirectory(Path.Combine(home, "rec"));
        var source = Path.Combine(home, "src.wav");
        var (_, soxCode) = await test.RunPeerAsync("sox", ["-n", "-r", "8000", "-c", "1", "-b", "16", source, "synth", "90", "sine",
            toneHz.ToString(CultureInfo.InvariantCulture), "vol", "0.5"], "sox-tone-" + user, TimeSpan.FromSeconds(30));
        if (soxCode != 0) throw new InvalidOperationException($"sox could not make {source}");
        var sipPort = FreePorts.Baresip();
        var control = FreePorts.UdpAndTcp();
        var rtp = FreePorts.UdpRange(20);
        var templates = Path.Combine(AppContext.BaseDirectory, "Baresip");
        await File.WriteAllTextAsync(Path.Combine(home, "config"), (await File.ReadAllTextAsync(Path.Combine(templates, "calls-config.template")))
            .Replace("{{SIP_PORT}}", sipPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{CTRL_PORT}}", control.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{RTP_PORTS}}", $"{rtp}-{rtp + 19}", StringComparison.Ordinal)
            // Relative to baresip's working directory (the test's folder): 1.0 cuts config values at about 100 characters.
            .Replace("{{SRC_WAV}}", Path.GetRelativePath(test.Folder, source), StringComparison.Ordinal)
            .Replace("{{REC_DIR}}", Path.GetRelativePath(test.Folder, Path.Combine(home, "rec")), StringComparison.Ordinal));
        // The AOR's host:port is where REGISTER goes; dial full URIs (1.0 drops the port when it completes a bare user).
        await File.WriteAllTextAsync(Path.Combine(home, "accounts"),
            $"<sip:{user}@{test.SwitchTarget};transport=udp>;auth_pass={password};answermode={answer};audio_codecs={codecs};regint=60;ptime=20\n");
        // -t: baresip quits by itself after this long even if the test's kill never comes.
        string[] arguments = sipTrace ? ["-f", home, "-t", "120", "-s"] : ["-f", home, "-t", "120"];
        var process = test.Start("baresip", arguments, "baresip-" + user);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", control);
                return new BaresipPhone(user, toneHz, home, process, sipPort, client);
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(15) && !process.HasExited)
            {
                client.Dispose();
                await Task.Delay(100);
            }
            catch (SocketException e)
            {
                client.Dispose();
                throw new InvalidOperationException($"baresip {user}: ctrl_tcp 127.0.0.1:{control} never answered ({e.SocketErrorCode})\n{process.Tail()}");
            }
        }
    }

    /// <summary>Waits for "{0/UDP/v4} 200 OK … [1 binding]" on baresip's output (registration happens before ctrl_tcp can tell).</summary>
    public async Task WaitRegisteredAsync(InteropTest test)
    {
        var ok = await Process.WaitForLineAsync(l => Registered().IsMatch(l), TimeSpan.FromSeconds(15));
        Assert.True(ok is not null, $"baresip {User} did not register\n{Process.Tail()}");
    }

    /// <summary>Sends a menu command (dial, accept, hangup, hold, resume, transfer …) and returns its response's data.</summary>
    public async Task<string> CommandAsync(string command, string parameters = "")
    {
        var token = $"{command}-{Interlocked.Increment(ref _token)}";
        var answered = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _pending[token] = answered;
        var json = JsonSerializer.Serialize(new { command, @params = parameters, token });
        var frame = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(json)}:{json},");
        Log($">> {json}");
        await _send.WaitAsync();
        try
        {
            await _stream.WriteAsync(frame);
        }
        finally
        {
            _send.Release();
        }
        var response = await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        if (!response.TryGetProperty("ok", out var ok) || !ok.GetBoolean())
            throw new InvalidOperationException($"baresip {User}: '{command} {parameters}' failed: {response}");
        return response.TryGetProperty("data", out var data) ? data.GetString() ?? "" : "";
    }

    /// <summary>The first event of <paramref name="type"/> (after <paramref name="after"/> events, if given) that <paramref name="match"/> accepts; null when none comes in time.</summary>
    public async Task<BaresipEvent?> WaitForEventAsync(string type, TimeSpan timeout, Func<BaresipEvent, bool>? match = null, int after = 0)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var found = _events.Skip(after).FirstOrDefault(e => e.Type == type && (match is null || match(e)));
                if (found is not null) return found;
                changed = _changed.Task;
            }
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) return null;
            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    public int Count(string type)
    {
        lock (_lock) return _events.Count(e => e.Type == type);
    }

    /// <summary>Asks baresip to quit and waits for it, so sndfile closes its WAV files (it writes their headers then).</summary>
    public async Task QuitAsync()
    {
        if (Process.HasExited) return;
        try
        {
            await CommandAsync("quit");
        }
        catch (Exception e) when (e is IOException or TimeoutException or ObjectDisposedException)
        {
            // it may close the socket before it answers
        }
        try
        {
            await Process.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // killed by WaitForExitAsync; its recordings may lack their header sizes
        }
    }

    /// <summary>Everything baresip printed so far, stdout then stderr (with -s, the SIP messages too).</summary>
    public string SipTrace => string.Join('\n', Process.StdoutLines.Concat(Process.StderrLines));

    /// <summary>What the phone heard in its last call (sndfile's -dec.wav).</summary>
    public WavFile Heard()
    {
        var file = Directory.GetFiles(RecordingFolder, "*-dec.wav").Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new InvalidOperationException($"baresip {User} recorded nothing in {RecordingFolder}\n{Process.Tail()}");
        return WavFile.Read(file);
    }

    /// <summary>
    /// The audio summary baresip prints when a call ends ("packets: TX RX" and "lost: TX RX"), for
    /// the last call: packets sent and received, and the receive side's lost count.
    /// </summary>
    public (long Sent, long Received, long Lost)? LastCallPackets()
    {
        var lines = Process.StdoutLines.Concat(Process.StderrLines).ToList();
        var packets = lines.LastOrDefault(l => PacketsLine().IsMatch(l));
        var lost = lines.LastOrDefault(l => LostLine().IsMatch(l));
        if (packets is null) return null;
        var p = PacketsLine().Match(packets);
        var l = lost is null ? null : LostLine().Match(lost);
        return (long.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture),
            l is null ? -1 : long.Parse(l.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new List<byte>();
        var chunk = new byte[65536];
        try
        {
            while (true)
            {
                var n = await _stream.ReadAsync(chunk);
                if (n == 0) return;
                buffer.AddRange(chunk.AsSpan(0, n));
                while (TryTakeNetstring(buffer, out var message)) OnMessage(message);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // baresip quit or was killed
        }
        finally
        {
            Signal();
        }
    }

    private static bool TryTakeNetstring(List<byte> buffer, out string message)
    {
        message = "";
        var colon = buffer.IndexOf((byte)':');
        if (colon <= 0) return false;
        var length = int.Parse(Encoding.ASCII.GetString(buffer.GetRange(0, colon).ToArray()), CultureInfo.InvariantCulture);
        if (buffer.Count < colon + 1 + length + 1) return false;
        message = Encoding.UTF8.GetString(buffer.GetRange(colon + 1, length).ToArray());
        buffer.RemoveRange(0, colon + 1 + length + 1); // the trailing ','
        return true;
    }

    private void OnMessage(string message)
    {
        Log($"<< {message}");
        using var doc = JsonDocument.Parse(message);
        var root = doc.RootElement.Clone();
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (root.TryGetProperty("response", out _))
        {
            TaskCompletionSource<JsonElement>? waiting;
            lock (_lock)
            {
                var token = Text("token") ?? "";
                _pending.Remove(token, out waiting);
            }
            waiting?.TrySetResult(root);
            return;
        }
        if (!root.TryGetProperty("event", out _)) return;
        lock (_lock) _events.Add(new BaresipEvent(DateTime.Now, Text("type") ?? "", Text("id"), Text("peeruri"), Text("param"), message));
        Signal();
    }

    /// <summary>Commands and events in order, in events.log beside baresip's own logs.</summary>
    private void Log(string line)
    {
        lock (_logLock) File.AppendAllText(EventLog, $"{DateTime.Now:HH:mm:ss.fff} {line}\n");
    }

    private void Signal()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        done.TrySetResult();
    }

    public ValueTask DisposeAsync()
    {
        _control.Dispose();
        return ValueTask.CompletedTask;
    }

    [GeneratedRegex(@"\{0/UDP/v4\} 200 OK .*\[1 binding\]")]
    private static partial Regex Registered();

    [GeneratedRegex(@"^packets:\s+(\d+)\s+(\d+)")]
    private static partial Regex PacketsLine();

    [GeneratedRegex(@"^lost:\s+(\d+)\s+(\d+)")]
    private static partial Regex LostLine();
}
