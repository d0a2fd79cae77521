using System.Net;
using Hotline.Media.Sdp;

namespace Hotline.Media.Tests.Sdp;

public class SdpParserTests
{
    [Fact]
    public void Sipp_scenario_offer_matches_the_kept_copy_and_parses()
    {
        string? fromKit = SdpSamples.FromSippScenario("uac-basic.xml");
        if (fromKit is not null) Assert.Equal(SdpSamples.SippUac.ReplaceLineEndings("\r\n"), fromKit);
        string? answer = SdpSamples.FromSippScenario("uas-echo.xml");
        if (answer is not null) Assert.Equal(SdpSamples.SippUasAnswer.ReplaceLineEndings("\r\n"), answer);

        var sdp = SessionDescription.Parse(fromKit ?? SdpSamples.SippUac);
        Assert.Equal("sipp", sdp.Origin.UserName);
        Assert.Equal(IPAddress.Loopback, sdp.Connection!.IPAddress);
        var audio = Assert.Single(sdp.Media);
        Assert.Equal(17000, audio.Port);
        Assert.Equal("RTP/AVP", audio.Protocol);
        Assert.Equal([8, 101], audio.PayloadTypes);
        Assert.Equal(new SdpRtpMap(101, "telephone-event", 8000), audio.GetRtpMap(101));
        Assert.Equal("0-15", audio.GetFmtp(101));
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
    }

    [Theory]
    [InlineData(SdpSamples.SippUac)]
    [InlineData(SdpSamples.Baresip)]
    [InlineData(SdpSamples.Asterisk)]
    [InlineData(SdpSamples.FreeSwitch)]
    [InlineData(SdpSamples.CarrierSbc)]
    [InlineData(SdpSamples.Ipv6)]
    [InlineData(SdpSamples.AudioAndVideo)]
    [InlineData(SdpSamples.SrtpOnly)]
    [InlineData(SdpSamples.OldStyleHold)]
    public void Serialising_a_parsed_offer_gives_the_same_lines(string text)
    {
        var sdp = SessionDescription.Parse(text);
        string written = sdp.ToString();
        Assert.Equal(text.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n", written);
        Assert.Equal(written, SessionDescription.Parse(written).ToString());
    }

    [Fact]
    public void Unknown_and_vendor_attributes_are_kept_in_place()
    {
        var sdp = SessionDescription.Parse(SdpSamples.Baresip);
        Assert.Equal("baresip 1.0.0", sdp.Attributes.Single(a => a.Name == "tool").Value);
        var audio = sdp.Media[0];
        Assert.Equal("1263947282 cname:sip:alice@127.0.0.1", audio.GetAttribute("ssrc"));
        Assert.True(audio.HasAttribute("rtcp-rsize"));
        Assert.Equal(new SdpBandwidth("AS", 93), Assert.Single(audio.Bandwidths));
        Assert.Equal(20, audio.Ptime);
    }

    [Fact]
    public void Static_payload_types_without_rtpmap_resolve_from_RFC3551()
    {
        var audio = SessionDescription.Parse(SdpSamples.StaticWithoutRtpmap).Media[0];
        Assert.Equal(new SdpRtpMap(18, "G729", 8000), audio.GetRtpMap(18));
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000), audio.GetRtpMap(0));
        Assert.Null(audio.GetRtpMap(96));
    }

    [Fact]
    public void Ipv6_connection_is_read_as_an_ipv6_address()
    {
        var sdp = SessionDescription.Parse(SdpSamples.Ipv6);
        Assert.Equal("IP6", sdp.Connection!.AddressType);
        Assert.Equal(IPAddress.Parse("2001:db8::10"), sdp.Connection.IPAddress);
        Assert.Equal("IP6", sdp.Origin.AddressType);
    }

    [Fact]
    public void Lf_only_line_ends_and_trailing_blank_lines_are_accepted()
    {
        var sdp = SessionDescription.Parse(SdpSamples.Asterisk.ReplaceLineEndings("\n") + "\n\n");
        Assert.Equal(150, sdp.Media[0].MaxPtime);
    }

    public static TheoryData<string, int, string> Malformed => new()
    {
        { "o=- 1 1 IN IP4 1.2.3.4\r\nv=0\r\n", 1, "v=" },
        { "v=1\r\no=- 1 1 IN IP4 1.2.3.4\r\n", 1, "v=" },
        { "v=0\r\no=- 1 IN IP4 1.2.3.4\r\ns=-\r\n", 2, "o=" },
        { "v=0\r\no=- x 1 IN IP4 1.2.3.4\r\ns=-\r\n", 2, "o= sess-id" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4\r\n", 4, "c=" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP5 1.2.3.4\r\n", 4, "c= addrtype" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.999\r\n", 4, "c= address" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP6 10.0.0.1\r\n", 4, "c= address" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0\r\n", 4, "t=" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio abc RTP/AVP 0\r\n", 5, "m= port" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 70000 RTP/AVP 0\r\n", 5, "m= port" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP\r\n", 5, "m=" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 pcmu\r\n", 5, "m= fmt" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", 6, "a=rtpmap" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:x PCMU/8000\r\n", 6, "a=rtpmap" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/fast\r\n", 6, "a=rtpmap" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=ptime:twenty\r\n", 6, "a=ptime" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=fmtp:abc 0-15\r\n", 6, "a=fmtp" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nb=AS:lots\r\n", 4, "b= bandwidth" },
        { "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nthis is not sdp\r\n", 4, "line" },
        { "v=0\r\ns=-\r\n", 2, "o=" },
        { "", 1, "v=" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_lines_give_errors_naming_the_line_and_field(string text, int line, string field)
    {
        Assert.False(SessionDescription.TryParse(text, out _, out var error));
        Assert.Equal(line, error!.Line);
        Assert.Equal(field, error.Field);
        Assert.Contains($"line {line}", error.ToString());
        var thrown = Assert.Throws<SdpParseException>(() => SessionDescription.Parse(text));
        Assert.Equal(error, thrown.Error);
    }
}
