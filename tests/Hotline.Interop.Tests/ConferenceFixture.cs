using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hotline.Interop.Tests.Harness;
using NAudio.Wave;

namespace Hotline.Interop.Tests;

/// <summary>
/// The demo as shipped, contact centre included (conference room 8100 with join and leave tones, supervisor
/// 5001, feature codes *81 login, *85/*86/*87 listen/whisper/barge), with the switch's RTP ports kept apart
/// from the ports the peers are given.
/// </summary>
public sealed class ContactCentreSwitch : SwitchFixture
{
    /// <summary>Room 8100's participant PIN (the demo's room has none; see the overlay).</summary>
    public const string RoomPin = "2468";

    // The demo's room has no PINs, but the contact centre's store reads an empty PIN back as null (LiteDB
    // stores "" as null) and the room then refuses every caller; with PINs it is exercised as in service.
    protected override object? Overlay => new
    {
        Media = new { RtpPortMin = 33000, RtpPortMax = 33998 },
        ContactCentre = new { Rooms = new[] { new { Number = "8100", Name = "Demo conference", Pin = RoomPin, ModeratorPin = "1357", JoinLeaveTones = true } } },
    };
}

/// <summary>
/// One baresip 1.0 softphone for the mixing tests: its microphone is a WAV of one sine tone (aufile), what
/// it receives is written to WAV (sndfile, one dump-*-dec.wav per call), and it is driven over ctrl_tcp
/// (netstring JSON): dial, send digits, hang up, with call events timestamped as they arrive.
/// </summary>
public sealed class Softphone : IAsyncDisposable
{
    private readonly TcpClient _control;
    private readonly NetworkStream _stream;
    private readonly List<(string Type, long At)> _events = [];
    private readonly Dictionary<string, TaskCompletionSource<bool>> _responses = [];
    private readonly Task _reader;
    private readonly string _home;
    private readonly string _artefacts;
    private int _token;

    private Softphone(string user, double tone, ExternalProcess process, string home, string artefacts, TcpClient control)
    {
        User = user;
        Tone = tone;
        Process = process;
        _home = home;
        _artefacts = artefacts;
        Recordings = Path.Combine(home, "rec");
        _control = control;
        _stream = control.GetStream();
        _reader = Task.Run(ReadEvents);
    }

    public string User { get; }
    public double Tone { get; }
    public ExternalProcess Process { get; }

    /// <summary>The folder sndfile writes this phone's recordings to.</summary>
    public string Recordings { get; }

    /// <summary>
    /// Writes the phone's config (account <paramref name="user"/>/<paramref name="password"/> at the switch,
    /// <paramref name="codec"/> only, auto-answer), makes its tone WAV with sox, starts it through
    /// <paramref name="start"/> (the test's peer list, so it is killed with the test) and connects to its control socket.
    /// </summary>
    public static async Task<Softphone> StartAsync(string dir, string switchTarget, string user, string password, double tone, string codec,
        Func<string, IEnumerable<string>, string, ExternalProcess> start)
    {
        Peer.Require("baresip");
        var sox = Peer.Require("sox");
        // baresip 1.0 cuts config values (file paths) short; the test's folder is too deep, so the phone
        // lives in a short one and is copied into the test's artefacts when disposed.
        var home = Path.Combine(Path.GetTempPath(), "hlbs", $"{Guid.NewGuid():N}"[..8] + "-" + user);
        var recordings = Path.Combine(home, "rec");
        Directory.CreateDirectory(recordings);
        var source = Path.Combine(home, "tone.wav");
        // A quarter of full scale: four of them mixed stay clear of clipping.
        using (var synth = System.Diagnostics.Process.Start(new ProcessStartInfo(sox, ["-n", "-r", "8000", "-c", "1", "-b", "16", source,
                   "synth", "120", "sine", tone.ToString(CultureInfo.InvariantCulture), "vol", "0.25"]) { UseShellExecute = false })!)
        {
            await synth.WaitForExitAsync();
            Assert.True(synth.ExitCode == 0 && File.Exists(source), $"sox could not make {source}");
        }
        int sipPort = FreePorts.Baresip();
        int controlPort = FreePorts.UdpAndTcp();
        int rtp = FreePorts.UdpRange(10);
        File.WriteAllText(Path.Combine(home, "config"), string.Join('\n',
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort}",
            "net_interface 127.0.0.1",
            "dns_server 127.0.0.1:53",
            "call_local_timeout 30",
            $"audio_source aufile,{source}",
            "ausrc_srate 8000", "ausrc_channels 1", "auplay_srate 8000", "auplay_channels 1",
            "ausrc_format s16", "auplay_format s16", "auenc_format s16", "audec_format s16", "audio_level no",
            $"rtp_ports {rtp}-{rtp + 9}",
            "rtcp_mux no",
            "jitter_buffer_delay 5-10",
            "module_path /usr/lib/baresip/modules",
            "module g711.so", "module aufile.so", "module sndfile.so",
            "module_tmp account.so",
            "module_app menu.so", "module_app ctrl_tcp.so",
            $"ctrl_tcp_listen 127.0.0.1:{controlPort}",
            $"snd_path {recordings}",
            "statmode_default off", ""));
        File.WriteAllText(Path.Combine(home, "accounts"),
            $"<sip:{user}@{switchTarget};transport=udp>;auth_pass={password};answermode=auto;audio_codecs={codec};regint=300;ptime=20\n");
        // -t: baresip quits by itself after this long even if the test's kill never comes.
        var process = start("baresip", ["-f", home, "-t", "240"], "baresip-" + user);
        var registered = await process.WaitForLineAsync(l => l.Contains("{0/UDP/v4} 200 OK", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        Assert.True(registered is not null, $"baresip {user} did not register\n{process.Tail()}");
        var control = new TcpClient();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await control.ConnectAsync("127.0.0.1", controlPort);
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
        return new Softphone(user, tone, process, home, Path.Combine(dir, "baresip-" + user), control);
    }

    /// <summary>Runs a menu command (dial, sndcode, hangup, quit...); true when baresip answered ok.</summary>
    public async Task<bool> CommandAsync(string command, string parameters = "")
    {
        var token = $"t{Interlocked.Increment(ref _token)}";
        var answered = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_responses)
            _responses[token] = answered;
        var json = JsonSerializer.Serialize(new { command, @params = parameters, token });
        var bytes = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(json)}:{json},");
        await _stream.WriteAsync(bytes);
        return await answered.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Dials <paramref name="number"/> at the switch.</summary>
    public Task<bool> DialAsync(string number, string switchTarget) => CommandAsync("dial", $"sip:{number}@{switchTarget}");

    /// <summary>Waits for the <paramref name="nth"/> (1-based) event of <paramref name="type"/> (e.g. CALL_ESTABLISHED); its Stopwatch time, or null.</summary>
    public async Task<long?> WaitForEventAsync(string type, int nth, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            lock (_events)
            {
                var seen = _events.Where(e => e.Type == type).ToList();
                if (seen.Count >= nth)
                    return seen[nth - 1].At;
            }
            await Task.Delay(50);
        }
        return null;
    }

    /// <summary>How many call events of <paramref name="type"/> have arrived so far.</summary>
    public int Count(string type)
    {
        lock (_events)
            return _events.Count(e => e.Type == type);
    }

    /// <summary>The types of the call events that arrived after <paramref name="from"/> and before <paramref name="to"/> (Stopwatch times), in order.</summary>
    public IReadOnlyList<string> EventsBetween(long from, long to)
    {
        lock (_events)
            return _events.Where(e => e.At > from && e.At < to).Select(e => e.Type).ToList();
    }

    /// <summary>The received audio of the latest call (sndfile's dump-*-dec.wav), 8 kHz mono.</summary>
    public short[] LastCallAudio()
    {
        var file = Directory.GetFiles(Recordings, "dump-*-dec.wav").Order(StringComparer.Ordinal).LastOrDefault(); // named by the second it began
        Assert.True(file is not null, $"{User} recorded no call in {Recordings}");
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new WaveFileReader(stream);
        Assert.Equal((8000, 1, 16), (reader.WaveFormat.SampleRate, reader.WaveFormat.Channels, reader.WaveFormat.BitsPerSample));
        var bytes = new byte[reader.Length];
        reader.ReadExactly(bytes);
        var pcm = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, pcm, 0, pcm.Length * 2);
        return pcm;
    }

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // the socket closed under the reader
        }
        // The test disposes the process itself; here it only has to have stopped writing.
        Process.Kill();
        for (int i = 0; i < 50 && !Process.HasExited; i++)
            await Task.Delay(100);
        foreach (var file in Directory.GetFiles(_home, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(_artefacts, Path.GetRelativePath(_home, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
        Directory.Delete(_home, recursive: true);
    }

    public override string ToString() => $"{User} ({Tone} Hz)";

    // Netstrings: <length>:<json>, responses carry our token, events a type.
    private async Task ReadEvents()
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        while (true)
        {
            int n = await _stream.ReadAsync(chunk);
            if (n == 0)
                return;
            buffer.AddRange(chunk.AsSpan(0, n).ToArray());
            while (true)
            {
                int colon = buffer.IndexOf((byte)':');
                if (colon < 0 || !int.TryParse(Encoding.ASCII.GetString(buffer.GetRange(0, colon).ToArray()), out int length) || buffer.Count < colon + length + 2)
                    break;
                var json = Encoding.UTF8.GetString(buffer.GetRange(colon + 1, length).ToArray());
                buffer.RemoveRange(0, colon + length + 2);
                OnMessage(JsonDocument.Parse(json).RootElement);
            }
        }
    }

    private void OnMessage(JsonElement message)
    {
        if (message.TryGetProperty("response", out _) && message.TryGetProperty("token", out var token))
        {
            TaskCompletionSource<bool>? waiting;
            lock (_responses)
                _responses.Remove(token.GetString() ?? "", out waiting);
            waiting?.TrySetResult(message.TryGetProperty("ok", out var ok) && ok.GetBoolean());
        }
        else if (message.TryGetProperty("event", out _) && message.TryGetProperty("type", out var type))
        {
            lock (_events)
                _events.Add((type.GetString() ?? "", Stopwatch.GetTimestamp()));
        }
    }
}

/// <summary>Which tones are in a stretch of received audio (8 kHz), by a single-bin DFT per tone.</summary>
public static class Tones
{
    /// <summary>
    /// The samples of <paramref name="pcm"/> from <paramref name="fromSeconds"/> to <paramref name="toSeconds"/>
    /// after <paramref name="start"/> (a Stopwatch time) on a recording that began at <paramref name="recordingStart"/>.
    /// </summary>
    public static short[] Between(short[] pcm, long recordingStart, long start, double fromSeconds, double toSeconds)
    {
        double offset = Stopwatch.GetElapsedTime(recordingStart, start).TotalSeconds;
        int from = (int)((offset + fromSeconds) * 8000), to = (int)((offset + toSeconds) * 8000);
        Assert.True(from >= 0 && to <= pcm.Length && to > from, $"window {from}..{to} is outside a recording of {pcm.Length} samples");
        return pcm[from..to];
    }

    public static double Amplitude(ReadOnlySpan<short> samples, double frequency)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / 8000), s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return 2 * Math.Sqrt(Math.Max(s1 * s1 + s2 * s2 - coeff * s1 * s2, 0)) / samples.Length;
    }

    /// <summary>Quarter-second blocks: 4 Hz bins, and short enough that one dropped packet spoils at most one.</summary>
    private const int Block = 2000;

    /// <summary>
    /// The tones among <paramref name="candidates"/> clearly in <paramref name="pcm"/>, failing when one is neither.
    /// The phones send at about 8,000. Present: over 2,500 in at least three quarters of the stretch's
    /// quarter-second blocks. Absent: under 150 over the whole stretch, and over 2,500 in no block. Present is
    /// judged block by block because one DFT over seconds cancels itself across a phase jump (a packet a jitter
    /// buffer dropped or bunched on a loaded machine) and would call a tone heard throughout absent; absent is
    /// judged over the whole stretch as well, where any leak of the tone adds up.
    /// </summary>
    public static IReadOnlyList<double> Present(short[] pcm, string who, params double[] candidates)
    {
        var present = new List<double>();
        int blocks = pcm.Length / Block;
        Assert.True(blocks >= 4, $"{who}: {pcm.Length} samples are too few to judge tones in");
        string Levels() => string.Join(", ", candidates.Select(f => $"{f} Hz: {Amplitude(pcm, f):F0} (blocks {string.Join(" ", BlockLevels(pcm, f).Select(l => l.ToString("F0", CultureInfo.InvariantCulture)))})"));
        foreach (var f in candidates)
        {
            var levels = BlockLevels(pcm, f);
            int loud = levels.Count(l => l > 2500);
            double whole = Amplitude(pcm, f);
            if (loud * 4 >= blocks * 3)
                present.Add(f);
            else if (loud > 0 || whole > 150)
                Assert.Fail($"{who} hears {f} Hz in {loud} of {blocks} blocks and at {whole:F0} overall, neither clearly present nor absent ({Levels()})");
        }
        return present;
    }

    private static double[] BlockLevels(short[] pcm, double frequency) =>
        Enumerable.Range(0, pcm.Length / Block).Select(b => Amplitude(pcm.AsSpan(b * Block, Block), frequency)).ToArray();
}
