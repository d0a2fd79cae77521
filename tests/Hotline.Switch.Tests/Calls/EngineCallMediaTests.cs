using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Hotline.Media.Engine;
using Hotline.Media.Rtp;
using Hotline.Media.Sdp;
using Hotline.Switch.Calls;

namespace Hotline.Switch.Tests.Calls;

/// <summary>
/// ICallMedia over the real media engine: offer/answer with SDP as SIPp and baresip write it, hold,
/// bridging, errors for 488, port exhaustion, and digits and sounds on the wire.
/// </summary>
public sealed class EngineCallMediaTests : IAsyncDisposable
{
    /// <summary>uac-basic.xml / uac-pcap-dtmf.xml's INVITE body with SIPp's keywords filled in (127.0.0.1, port 17000).</summary>
    private const string SippUacOffer = """
        v=0
        o=sipp 53655765 2353687637 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 17000 RTP/AVP 8 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv

        """;

    /// <summary>uas-echo.xml's 200 OK body.</summary>
    private const string SippUasAnswer = """
        v=0
        o=sipp-uas 53655765 2353687637 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        m=audio 16000 RTP/AVP 8 0 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv

        """;

    /// <summary>baresip 1.0 with the g711 module, as in the interop kit: PCMU first.</summary>
    private const string BaresipOffer = """
        v=0
        o=- 1489683522 4018211034 IN IP4 127.0.0.1
        s=-
        c=IN IP4 127.0.0.1
        t=0 0
        a=tool:baresip 1.0.0
        m=audio 10000 RTP/AVP 0 8 101
        b=AS:93
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=sendrecv
        a=label:1
        a=ssrc:1263947282 cname:sip:alice@127.0.0.1
        a=rtcp-rsize
        a=ptime:20

        """;

    private readonly string _recordings = Path.Combine(Path.GetTempPath(), "hotline-callmedia-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;
    private readonly EngineCallMedia _media;

    public EngineCallMediaTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddress = IPAddress.Loopback,
            RtpPortMin = 46000,
            RtpPortMax = 46998,
            Workers = 2,
            RecordingsRoot = _recordings,
        });
        _media = new EngineCallMedia(_engine);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        if (Directory.Exists(_recordings))
            Directory.Delete(_recordings, recursive: true);
    }

    [Fact]
    public async Task Answers_SIPps_offer_with_PCMA_and_its_telephone_event_at_our_address_and_port()
    {
        await using var leg = _media.CreateLeg("caller");
        var offer = FromSippScenario("uac-basic.xml") ?? SippUacOffer;

        var answer = leg.AnswerOffer(offer);

        Assert.True(answer.Ok, answer.Error);
        var sdp = SessionDescription.Parse(answer.Sdp!);
        Assert.Equal("127.0.0.1", sdp.Connection!.Address);
        var audio = Assert.Single(sdp.Media);
        Assert.InRange(audio.Port, 46000, 46998);
        Assert.Equal(0, audio.Port % 2); // RTP even, RTCP the odd port above (RFC 3550 §11)
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal("PCMA", audio.GetRtpMap(8)!.EncodingName);
        Assert.Equal("telephone-event", audio.GetRtpMap(101)!.EncodingName);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.Equal("PCMA", leg.Codec);
        Assert.False(leg.RemoteHold);
    }

    [Fact]
    public async Task Answers_baresip_with_our_preferred_codec_among_those_offered()
    {
        await using var leg = _media.CreateLeg("caller");
        var answer = leg.AnswerOffer(BaresipOffer);
        Assert.True(answer.Ok, answer.Error);
        Assert.Contains("m=audio", answer.Sdp);
        Assert.Equal(["8", "101"], SessionDescription.Parse(answer.Sdp!).Media[0].Formats);
        Assert.Equal("PCMA", leg.Codec);
    }

    [Fact]
    public async Task Offers_the_preferred_codec_first_and_takes_the_codec_SIPps_UAS_answers_with()
    {
        await using var leg = _media.CreateLeg("callee");
        var offer = SessionDescription.Parse(leg.CreateOffer(preferCodec: "PCMU"));
        Assert.Equal("0", offer.Media[0].Formats[0]);
        Assert.Contains(offer.Media[0].RtpMaps, m => m.EncodingName == "telephone-event" && m.ClockRate == 8000);
        Assert.Contains(offer.Media[0].RtpMaps, m => m.EncodingName == "opus" && m.ClockRate == 48000 && m.Channels == 2);

        Assert.Null(leg.ApplyAnswer(SippUasAnswer));
        Assert.Equal("PCMA", leg.Codec); // the answerer's first choice among what we offered
        Assert.Equal("127.0.0.1:16000", leg.Stats.RemoteRtp);
    }

    [Fact]
    public async Task The_answer_of_an_early_183_may_come_again_in_the_200()
    {
        await using var leg = _media.CreateLeg("callee");
        leg.CreateOffer();
        Assert.Null(leg.ApplyAnswer(SippUasAnswer));
        Assert.Null(leg.ApplyAnswer(SippUasAnswer));
        Assert.Equal("PCMA", leg.Codec);
        // Once the peer makes an offer of its own, an answer to ours is out of place.
        Assert.True(leg.AnswerOffer(SippUacOffer).Ok);
        Assert.Equal("no offer of ours is waiting for an answer", leg.ApplyAnswer(SippUasAnswer));
    }

    [Fact]
    public async Task An_offer_with_nothing_we_speak_is_refused_with_a_reason_for_488()
    {
        await using var leg = _media.CreateLeg("caller");
        var answer = leg.AnswerOffer(SippUacOffer.Replace("8 101", "18").Replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:18 G729/8000"));
        Assert.False(answer.Ok);
        Assert.Contains("No common codec", answer.Error);
        Assert.Null(leg.Codec);
    }

    [Fact]
    public async Task Malformed_SDP_is_refused_naming_the_line()
    {
        await using var leg = _media.CreateLeg("caller");
        var answer = leg.AnswerOffer("v=0\r\no=broken\r\n");
        Assert.False(answer.Ok);
        Assert.Contains("line 2", answer.Error);
        Assert.Equal("no offer of ours is waiting for an answer", leg.ApplyAnswer(SippUasAnswer));
        leg.CreateOffer();
        Assert.Contains("Malformed SDP", leg.ApplyAnswer("garbage"));
    }

    [Fact]
    public async Task A_sendonly_reinvite_is_remote_hold_and_our_answer_is_recvonly()
    {
        await using var leg = _media.CreateLeg("caller");
        Assert.True(leg.AnswerOffer(SippUacOffer).Ok);

        var answer = leg.AnswerOffer(SippUacOffer.Replace("a=sendrecv", "a=sendonly"));

        Assert.True(leg.RemoteHold);
        Assert.Equal(SdpDirection.RecvOnly, SessionDescription.Parse(answer.Sdp!).Media[0].Direction);
        leg.AnswerOffer(SippUacOffer);
        Assert.False(leg.RemoteHold);
    }

    [Fact]
    public async Task Putting_the_peer_on_hold_offers_sendonly()
    {
        await using var leg = _media.CreateLeg("callee");
        Assert.Equal(SdpDirection.SendOnly, SessionDescription.Parse(leg.CreateOffer(hold: true)).Media[0].Direction);
        Assert.Equal(SdpDirection.SendOnly, SessionDescription.Parse(leg.AnswerOffer(SippUacOffer, hold: true).Sdp!).Media[0].Direction);
    }

    [Fact]
    public async Task Bridging_PCMA_to_PCMU_transcodes_and_records_under_the_recordings_root()
    {
        await using var caller = _media.CreateLeg("caller");
        await using var callee = _media.CreateLeg("callee");
        Assert.True(caller.AnswerOffer(SippUacOffer).Ok);
        callee.CreateOffer();
        Assert.Null(callee.ApplyAnswer(SippUasAnswer.Replace("8 0 101", "0 101")));
        Assert.Equal("PCMU", callee.Codec);

        var bridge = _media.Bridge(caller, callee, "2026/03/01/abc.wav");
        for (int i = 0; i < 100 && !bridge.Transcoding; i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);

        Assert.True(bridge.Transcoding);
        Assert.Equal(Path.Combine(_recordings, "2026", "03", "01", "abc.wav"), bridge.RecordingPath);
        await bridge.DisposeAsync();
        Assert.True(File.Exists(bridge.RecordingPath));
    }

    [Fact]
    public async Task Creating_a_leg_when_no_port_is_free_throws_MediaUnavailable()
    {
        await using var engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback, RtpPortMin = 46998, RtpPortMax = 46998, Workers = 1,
        });
        var media = new EngineCallMedia(engine);
        await using var only = media.CreateLeg("only");
        var e = Assert.Throws<MediaUnavailableException>(() => media.CreateLeg("one too many"));
        Assert.Contains("46998", e.Message);
    }

    [Fact]
    public async Task Digits_and_sounds_go_over_the_wire()
    {
        using var phone = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 };
        phone.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int phonePort = ((IPEndPoint)phone.LocalEndPoint!).Port;
        await using var leg = _media.CreateLeg("caller");
        var digits = new List<char>();
        leg.Dtmf += (l, d) => { lock (digits) digits.Add(d); };
        var answer = leg.AnswerOffer(SippUacOffer.Replace("17000", phonePort.ToString()));
        Assert.True(answer.Ok);
        var engine = new IPEndPoint(IPAddress.Loopback, SessionDescription.Parse(answer.Sdp!).Media[0].Port);

        // RFC 4733 '7' from the phone: start, end three times.
        var packet = new byte[16];
        for (int i = 0; i < 4; i++)
        {
            new RtpHeader(101, (ushort)(10 + i), 8000, 0xCAFE, marker: i == 0).WriteTo(packet);
            new Hotline.Media.Dtmf.Rfc4733Event(7, i > 0, 10, (ushort)(160 * (i + 1))).WriteTo(packet.AsSpan(12));
            phone.SendTo(packet, engine);
        }
        for (int i = 0; i < 100 && digits.Count == 0; i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);
        lock (digits)
            Assert.Equal(['7'], digits);

        leg.Play(CallSound.Busy);
        var buffer = new byte[1500];
        int n = phone.Receive(buffer);
        Assert.True(RtpHeader.TryRead(buffer.AsSpan(0, n), out var header));
        Assert.Equal(8, header.PayloadType);
        Assert.Equal(160, header.PayloadLength);
        leg.StopPlayback();
        Assert.Equal("PCMA", leg.Stats.Codec);
        Assert.True(leg.Stats.PacketsReceived >= 4);
    }

    /// <summary>The first SDP body of a SIPp scenario in the interop kit, keywords filled in; null without the kit.</summary>
    private static string? FromSippScenario(string file)
    {
        string path = Path.Combine("/work/shared/interop/scenarios", file);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "interop", "scenarios", file);
            if (File.Exists(candidate))
            {
                path = candidate;
                break;
            }
        }
        if (!File.Exists(path))
            return null;
        string message = Regex.Matches(File.ReadAllText(path), @"<!\[CDATA\[(.*?)\]\]>", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value).First(m => m.Contains("v=0", StringComparison.Ordinal));
        var lines = message.Split('\n').Select(l => l.Trim()).ToList();
        var sdp = lines.Skip(lines.FindIndex(l => l.StartsWith("v=0", StringComparison.Ordinal))).TakeWhile(l => l.Length > 0);
        return string.Join("\r\n", sdp)
            .Replace("[local_ip_type]", "4").Replace("[media_ip_type]", "4")
            .Replace("[local_ip]", "127.0.0.1").Replace("[media_ip]", "127.0.0.1")
            .Replace("[auto_media_port]", "17000") + "\r\n";
    }
}
