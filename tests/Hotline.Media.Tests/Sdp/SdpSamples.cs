using System.Text.RegularExpressions;

namespace Hotline.Media.Tests.Sdp;

/// <summary>Offers as real peers write them, for parsing and offer/answer tests.</summary>
internal static class SdpSamples
{
    /// <summary>
    /// The first SDP body a SIPp scenario sends in shared/interop/scenarios, with SIPp's
    /// [keywords] filled in as SIPp would for 127.0.0.1, media port 17000. Null when the kit is not found.
    /// </summary>
    public static string? FromSippScenario(string file)
    {
        string? path = FindScenario(file);
        if (path is null) return null;
        string xml = File.ReadAllText(path);
        string message = Regex.Matches(xml, @"<!\[CDATA\[(.*?)\]\]>", RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value)
            .First(m => m.Contains("v=0", StringComparison.Ordinal));
        var lines = message.Split('\n').Select(l => l.Trim()).ToList();
        int body = lines.FindIndex(l => l.StartsWith("v=0", StringComparison.Ordinal));
        var sdp = lines.Skip(body).TakeWhile(l => l.Length > 0);
        return string.Join("\r\n", sdp)
            .Replace("[local_ip_type]", "4").Replace("[media_ip_type]", "4")
            .Replace("[local_ip]", "127.0.0.1").Replace("[media_ip]", "127.0.0.1")
            .Replace("[auto_media_port]", "17000").Replace("[media_port]", "16000") + "\r\n";
    }

    private static string? FindScenario(string file)
    {
        // The interop kit sits beside the repository (or its CI clone) as shared/, or at /work/shared.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "interop", "scenarios", file);
            if (File.Exists(candidate)) return candidate;
        }
        string fixedPath = Path.Combine("/work/shared/interop/scenarios", file);
        return File.Exists(fixedPath) ? fixedPath : null;
    }

    /// <summary>uac-basic.xml / uac-pcap-dtmf.xml as SIPp sends it (kept here so the tests run without the kit).</summary>
    public const string SippUac = """
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
    public const string SippUasAnswer = """
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

    /// <summary>baresip 1.0 with the g711 module (PCMU, PCMA), as in the interop kit.</summary>
    public const string Baresip = """
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

    public const string Asterisk = """
        v=0
        o=- 1716 1716 IN IP4 192.168.1.10
        s=Asterisk
        c=IN IP4 192.168.1.10
        t=0 0
        m=audio 14562 RTP/AVP 0 8 3 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:3 GSM/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20
        a=maxptime:150
        a=sendrecv

        """;

    public const string FreeSwitch = """
        v=0
        o=FreeSWITCH 1700000000 1700000001 IN IP4 10.0.0.20
        s=FreeSWITCH
        c=IN IP4 10.0.0.20
        t=0 0
        m=audio 16384 RTP/AVP 102 9 0 8 103 101
        a=rtpmap:102 opus/48000/2
        a=fmtp:102 useinbandfec=1; maxaveragebitrate=30000; maxplaybackrate=48000; ptime=20; minptime=10; maxptime=40
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=rtpmap:103 telephone-event/48000
        a=fmtp:103 0-16
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-16
        a=ptime:20
        a=sendrecv
        a=rtcp:16385 IN IP4 10.0.0.21

        """;

    /// <summary>A carrier SBC in China: PCMA first, G.729 without annex B, telephone-event 101, vendor attributes.</summary>
    public const string CarrierSbc = """
        v=0
        o=- 20230815 20230815 IN IP4 61.140.10.20
        s=SBC
        c=IN IP4 61.140.10.20
        t=0 0
        m=audio 30000 RTP/AVP 8 0 18 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:18 G729/8000
        a=fmtp:18 annexb=no
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15
        a=ptime:20
        a=sendrecv
        a=X-nat:0

        """;

    /// <summary>An old trunk that lists static payload types without rtpmap lines (allowed by RFC 3551).</summary>
    public const string StaticWithoutRtpmap = """
        v=0
        o=trunk 1 1 IN IP4 203.0.113.5
        s=-
        c=IN IP4 203.0.113.5
        t=0 0
        m=audio 5004 RTP/AVP 18 0
        """;

    public const string Ipv6 = """
        v=0
        o=- 42 42 IN IP6 2001:db8::10
        s=-
        c=IN IP6 2001:db8::10
        t=0 0
        m=audio 40000 RTP/AVP 9 0 101
        a=rtpmap:9 G722/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15

        """;

    public static string Hold(string direction) => $"""
        v=0
        o=- 1716 1717 IN IP4 192.168.1.10
        s=-
        c=IN IP4 192.168.1.10
        t=0 0
        m=audio 14562 RTP/AVP 8 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a={direction}

        """;

    /// <summary>RFC 2543 hold: the connection address zeroed, no direction attribute.</summary>
    public const string OldStyleHold = """
        v=0
        o=- 1716 1718 IN IP4 192.168.1.10
        s=-
        c=IN IP4 0.0.0.0
        t=0 0
        m=audio 14562 RTP/AVP 8
        a=rtpmap:8 PCMA/8000

        """;

    public const string AudioAndVideo = """
        v=0
        o=- 5 5 IN IP4 192.168.1.30
        s=-
        c=IN IP4 192.168.1.30
        t=0 0
        m=video 20000 RTP/AVP 96
        a=rtpmap:96 H264/90000
        a=fmtp:96 profile-level-id=42e01f
        m=audio 20002 RTP/AVP 0 101
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000

        """;

    public const string SrtpOnly = """
        v=0
        o=- 6 6 IN IP4 192.168.1.40
        s=-
        c=IN IP4 192.168.1.40
        t=0 0
        m=audio 20000 RTP/SAVP 0 8
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000
        a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz

        """;

    public const string G729Only = """
        v=0
        o=- 7 7 IN IP4 192.168.1.50
        s=-
        c=IN IP4 192.168.1.50
        t=0 0
        m=audio 20000 RTP/AVP 18 4
        a=rtpmap:18 G729/8000
        a=rtpmap:4 G723/8000

        """;
}
