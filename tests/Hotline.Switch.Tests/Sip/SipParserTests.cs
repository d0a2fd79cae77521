using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Sip;

public class SipParserTests
{
    private static SipMessage Parse(string text)
    {
        var m = SipParser.Parse(SampleMessages.Bytes(text), out var error);
        Assert.NotNull(m);
        return m!;
    }

    [Fact]
    public void Parses_a_typical_INVITE_with_SDP()
    {
        using var m = Parse(SampleMessages.Invite);
        Assert.True(m.IsValid, m.ParseError);
        Assert.True(m.IsRequest);
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Equal("sip:1002@192.168.1.10", m.RequestUriText);
        Assert.Equal("UDP", m.Text(m.TopVia.Transport));
        Assert.Equal("192.168.1.20", m.Text(m.TopVia.Host));
        Assert.Equal(5062, m.TopVia.Port);
        Assert.Equal("z9hG4bK776asdhds", m.Text(m.TopVia.Branch));
        Assert.Equal(0, m.TopVia.RPort);
        Assert.Equal(1, m.ViaCount);
        Assert.Equal("1928301774", m.Text(m.From.Tag));
        Assert.Equal("Alice Zhang", m.Text(m.From.DisplayName));
        Assert.Equal("sip:1001@192.168.1.10", m.Text(m.From.Uri));
        Assert.False(m.To.Tag.IsPresent);
        Assert.Equal("a84b4c76e66710@pc33.example.com", m.CallId);
        Assert.Equal(314159u, m.CSeq.Number);
        Assert.Equal(SipMethod.Invite, m.CSeq.Method);
        Assert.Equal(70, m.MaxForwards);
        Assert.Equal(SampleMessages.Sdp.Length, m.ContentLength);
        Assert.Equal(SampleMessages.Sdp, m.BodyText);
        Assert.Equal("application/sdp", m.Text(m.ContentType));
        Assert.Equal(["replaces", "timer", "100rel"], m.GetTokens(HeaderId.Supported));
        Assert.Equal("Yealink SIP-T46S 66.86.0.15", m.GetHeader("user-agent"));
    }

    [Fact]
    public void Parses_a_response_status_line()
    {
        using var m = Parse(SampleMessages.Ok);
        Assert.True(m.IsValid, m.ParseError);
        Assert.True(m.IsResponse);
        Assert.Equal(200, m.StatusCode);
        Assert.Equal("OK", m.ReasonText);
        Assert.Equal(5062, m.TopVia.RPort);
        Assert.Equal("192.168.1.20", m.Text(m.TopVia.Received));
        Assert.Equal("a6c85cf", m.Text(m.To.Tag));
    }

    [Fact]
    public void Splits_comma_separated_Vias_and_Contacts_into_values()
    {
        var text = SampleMessages.Register.Replace(
            "Contact: <sip:1001@192.168.1.20:5062>;expires=3600\r\n",
            "Contact: \"A, B\" <sip:1001@192.168.1.20:5062>;expires=3600, <sip:1001@10.0.0.1;x=1,2>;q=0.5\r\nm: sip:1001@10.0.0.2\r\n")
            .Replace("Max-Forwards", "v: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKabc, SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bKdef\r\nMax-Forwards");
        using var m = Parse(text);
        Assert.True(m.IsValid, m.ParseError);
        Assert.Equal(3, m.ViaCount);
        Assert.True(m.TryGetVia(2, out var v2));
        Assert.Equal("[2001:db8::1]", m.Text(v2.Host));
        Assert.Equal(5070, v2.Port);
        var contacts = m.NameAddrs(HeaderId.Contact);
        Assert.Equal(3, contacts.Count);
        Assert.Equal("A, B", m.Text(contacts[0].DisplayName));
        Assert.Equal("sip:1001@10.0.0.1;x=1,2", m.Text(contacts[1].Uri));
        Assert.Equal("sip:1001@10.0.0.2", m.Text(contacts[2].Uri));
    }

    [Fact]
    public void Compact_forms_and_folding_are_understood()
    {
        var text = "OPTIONS sip:user@example.com SIP/2.0\r\n" +
                   "v: SIP/2.0/UDP host1.example.com;branch=z9hG4bKk\r\n" +
                   "t: sip:user@example.com\r\n" +
                   "f: sip:caller@example.net;tag=134161461246\r\n" +
                   "i: 12345@host\r\n" +
                   "CSeq: 1\r\n    OPTIONS\r\n" +
                   "Subject: first\r\n\tsecond\r\n" +
                   "l: 0\r\n\r\n";
        using var m = Parse(text);
        Assert.True(m.IsValid, m.ParseError);
        Assert.Equal(SipMethod.Options, m.CSeq.Method);
        Assert.Equal("134161461246", m.Text(m.From.Tag));
        Assert.Equal("first second", m.GetHeader(HeaderId.Subject));
        Assert.Equal(0, m.ContentLength);
    }

    [Theory]
    [InlineData("Call-ID: x@y\r\n", "more than one Call-ID")]
    [InlineData("CSeq: 2 INVITE\r\n", "more than one CSeq")]
    [InlineData("To: <sip:a@b>\r\n", "more than one To")]
    [InlineData("Max-Forwards: 10\r\n", "more than one Max-Forwards")]
    public void Duplicate_single_value_headers_are_rejected(string extra, string reason)
    {
        using var m = Parse(SampleMessages.Register.Replace("User-Agent", extra + "User-Agent"));
        Assert.False(m.IsValid);
        Assert.Contains(reason, m.ParseError);
        Assert.Equal(400, m.ParseErrorStatus);
        Assert.True(m.CanRespond);
    }

    [Fact]
    public void Content_length_larger_than_body_is_an_error_and_smaller_truncates()
    {
        using (var m = Parse(SampleMessages.Register.Replace("Content-Length: 0", "Content-Length: 10")))
        {
            Assert.False(m.IsValid);
            Assert.Contains("Content-Length 10", m.ParseError);
        }
        using (var m = Parse(SampleMessages.Register + "garbage"))
        {
            Assert.True(m.IsValid, m.ParseError);
            Assert.Equal(0, m.Body.Length);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("INVITE")]
    [InlineData("garbage without line end")]
    public void Input_without_a_start_line_gives_null_and_a_reason(string text)
    {
        Assert.Null(SipParser.Parse(SampleMessages.Bytes(text), out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Oversized_messages_are_refused()
    {
        var big = new byte[SipMessage.MaxSize + 1];
        Assert.Null(SipParser.Parse(big, out var error));
        Assert.Contains("exceeds", error);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(1234);
        var buf = new byte[600];
        var template = SampleMessages.Bytes(SampleMessages.Invite);
        for (var i = 0; i < 20000; i++)
        {
            if (i % 2 == 0) rng.NextBytes(buf);
            else
            {
                // Mutate a real message: most mutations land in headers the parser must survive.
                template.AsSpan(0, Math.Min(buf.Length, template.Length)).CopyTo(buf);
                for (var k = 0; k < 8; k++) buf[rng.Next(buf.Length)] = (byte)rng.Next(256);
            }
            var m = SipParser.Parse(buf.AsSpan(0, rng.Next(buf.Length)), out _);
            m?.Dispose();
        }
    }
}
