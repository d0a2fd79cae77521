using Hotline.Switch.Calls;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Media for call-control tests: remembers what call control asked of it.</summary>
internal sealed class FakeCallMedia : ICallMedia
{
    public List<FakeLeg> Legs { get; } = [];
    public List<FakeBridge> Bridges { get; } = [];
    public bool Exhausted { get; set; }
    /// <summary>When set, only this many more legs can be made (ports running out mid-call).</summary>
    public int? PortsLeft { get; set; }
    /// <summary>New legs hold their prompts until stopped (barge-in tests).</summary>
    public bool HoldPrompts { get; set; }

    public IMediaLeg CreateLeg(string label, IMediaLeg? near = null)
    {
        if (Exhausted || PortsLeft is <= 0) throw new MediaUnavailableException("no RTP ports left");
        if (PortsLeft is { } left) PortsLeft = left - 1;
        var leg = new FakeLeg(label) { HoldPrompts = HoldPrompts, Near = near as FakeLeg };
        lock (Legs) Legs.Add(leg);
        return leg;
    }

    public IMediaBridge Bridge(IMediaLeg caller, IMediaLeg callee, string? recordingPath)
    {
        var b = new FakeBridge((FakeLeg)caller, (FakeLeg)callee, recordingPath);
        lock (Bridges) Bridges.Add(b);
        return b;
    }

    public FakeLeg Leg(string suffix) { lock (Legs) return Legs.Last(l => l.Label.EndsWith(suffix)); }
}

internal sealed class FakeLeg(string label) : IMediaLeg, IMediaLegPlayback
{
    public string Label { get; } = label;
    public List<string> Events { get; } = [];
    public CallSound? Playing { get; private set; }
    public string? Codec { get; private set; }
    public bool RemoteHold { get; private set; }
    public bool Disposed { get; private set; }
    public bool RejectOffers { get; set; }
    /// <summary>The peer has stopped sending (a dead phone); until then every look finds new packets.</summary>
    public bool Silent { get; set; }
    public bool PeerSends => !RemoteHold;
    private long _heard;
    public long PacketsHeard => Silent ? _heard : ++_heard;

    public static string Sdp(string owner, int port, string direction = "sendrecv") =>
        $"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns={owner}\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio {port} RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na={direction}\r\n";

    public string CreateOffer(string? preferCodec = null, bool hold = false)
    {
        Events.Add($"offer:{preferCodec}");
        return Sdp($"offer-{Label}", 40000);
    }

    public SdpResult AnswerOffer(string offer, bool hold = false)
    {
        Events.Add("answer");
        if (RejectOffers || !offer.Contains("m=audio")) return new SdpResult(null, "no common codec");
        Codec = "PCMA";
        RemoteHold = offer.Contains("a=sendonly") || offer.Contains("a=inactive");
        return new SdpResult(Sdp($"answer-{Label}", 40002, RemoteHold ? "recvonly" : "sendrecv"), null);
    }

    public string? ApplyAnswer(string answer)
    {
        Events.Add("apply");
        if (!answer.Contains("m=audio")) return "no audio";
        Codec = "PCMA";
        return null;
    }

    public void Play(CallSound sound)
    {
        Playing = sound;
        Events.Add($"play:{sound}");
    }

    public void PlayPrompt(string path) => Events.Add($"prompt:{path}");

    public void StopPlayback()
    {
        Playing = null;
        Events.Add("stop");
    }

    public event Action<IMediaLeg, char>? Dtmf;

    public void RaiseDtmf(char digit) => Dtmf?.Invoke(this, digit);

    /// <summary>The leg this one was asked to be placed beside (on the same media worker).</summary>
    public FakeLeg? Near { get; init; }

    /// <summary>Someone takes this leg's digits (with the real engine: its in-band detector runs).</summary>
    public bool ListensForDigits => Dtmf is not null;

    public void SendDtmf(char digit) => Events.Add($"dtmf:{digit}");

    public MediaLegStats Stats => new(Codec, 100, 100, 0, 1.5, "127.0.0.1:40000");

    /// <summary>When set, prompts play until stopped (to test barge-in); otherwise they finish at once.</summary>
    public bool HoldPrompts { get; set; }
    public FakeRecording? Recording { get; private set; }

    public async Task<bool> PlayPromptsAsync(IReadOnlyList<string> paths, CancellationToken ct)
    {
        lock (Events) Events.Add("prompts:" + string.Join(",", paths.Select(Path.GetFileName)));
        if (!HoldPrompts) return true;
        await Task.Delay(Timeout.Infinite, ct);
        return false;
    }

    public IPeerRecording RecordPeer(string path)
    {
        Events.Add("record:" + Path.GetFileName(path));
        return Recording = new FakeRecording(path);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakeBridge(FakeLeg caller, FakeLeg callee, string? recordingPath) : IMediaBridge
{
    public FakeLeg CallerLeg { get; } = caller;
    public FakeLeg CalleeLeg { get; } = callee;
    public bool Transcoding => false;
    public string? RecordingPath { get; } = recordingPath;
    public bool Disposed { get; private set; }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

internal sealed class FakeRecording(string path) : IPeerRecording
{
    public string Path { get; } = path;
    public TimeSpan Duration { get; set; }
    public TimeSpan SilentFor { get; set; }
    public bool Stopped { get; private set; }
    public Task<TimeSpan> StopAsync()
    {
        Stopped = true;
        return Task.FromResult(Duration);
    }
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
