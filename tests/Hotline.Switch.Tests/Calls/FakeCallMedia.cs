using Hotline.Switch.Calls;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Media for call-control tests: remembers what call control asked of it.</summary>
internal sealed class FakeCallMedia : ICallMedia
{
    public List<FakeLeg> Legs { get; } = [];
    public List<FakeBridge> Bridges { get; } = [];
    public bool Exhausted { get; set; }

    public IMediaLeg CreateLeg(string label)
    {
        if (Exhausted) throw new MediaUnavailableException("no RTP ports left");
        var leg = new FakeLeg(label);
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

internal sealed class FakeLeg(string label) : IMediaLeg
{
    public string Label { get; } = label;
    public List<string> Events { get; } = [];
    public CallSound? Playing { get; private set; }
    public string? Codec { get; private set; }
    public bool RemoteHold { get; private set; }
    public bool Disposed { get; private set; }
    public bool RejectOffers { get; set; }

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

    public void SendDtmf(char digit) => Events.Add($"dtmf:{digit}");

    public MediaLegStats Stats => new(Codec, 100, 100, 0, 1.5, "127.0.0.1:40000");

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
