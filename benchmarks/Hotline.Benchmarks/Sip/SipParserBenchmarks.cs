using System.Text;
using BenchmarkDotNet.Attributes;
using Hotline.Switch.Sip;

namespace Hotline.Benchmarks.Sip;

/// <summary>Parse and serialise the three messages a PBX handles most.</summary>
[MemoryDiagnoser]
public class SipParserBenchmarks
{
    private const string Sdp =
        "v=0\r\no=- 3912345678 3912345678 IN IP4 192.168.1.20\r\ns=-\r\nc=IN IP4 192.168.1.20\r\nt=0 0\r\n" +
        "m=audio 16384 RTP/AVP 8 0 9 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:9 G722/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    private static readonly byte[] s_invite = Encoding.ASCII.GetBytes(
        "INVITE sip:1002@192.168.1.10 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:1002@192.168.1.10>\r\n" +
        "From: \"Alice Zhang\" <sip:1001@192.168.1.10>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:1001@192.168.1.20:5062;transport=udp>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, NOTIFY, UPDATE, PRACK\r\n" +
        "Supported: replaces, timer, 100rel\r\n" +
        "User-Agent: Yealink SIP-T46S 66.86.0.15\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n\r\n" + Sdp);

    private static readonly byte[] s_register = Encoding.ASCII.GetBytes(
        "REGISTER sip:192.168.1.10 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKnashds7;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:1001@192.168.1.10>\r\n" +
        "From: <sip:1001@192.168.1.10>;tag=456248\r\n" +
        "Call-ID: 843817637684230@998sdasdh09\r\n" +
        "CSeq: 1826 REGISTER\r\n" +
        "Contact: <sip:1001@192.168.1.20:5062>;expires=3600\r\n" +
        "Expires: 3600\r\n" +
        "Authorization: Digest username=\"1001\", realm=\"hotline\", nonce=\"a1b2c3d4e5f6\", uri=\"sip:192.168.1.10\", response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5, cnonce=\"xyz\", qop=auth, nc=00000001\r\n" +
        "User-Agent: baresip v1.0.0 (x86_64/linux)\r\n" +
        "Content-Length: 0\r\n\r\n");

    private static readonly byte[] s_ok = Encoding.ASCII.GetBytes(
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK776asdhds;rport=5062;received=192.168.1.20\r\n" +
        "To: <sip:1002@192.168.1.10>;tag=a6c85cf\r\n" +
        "From: \"Alice Zhang\" <sip:1001@192.168.1.10>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:1002@192.168.1.21:5064>\r\n" +
        "Content-Type: application/sdp\r\n" +
        $"Content-Length: {Sdp.Length}\r\n\r\n" + Sdp);

    private SipMessage _inviteMessage = null!;

    [GlobalSetup]
    public void Setup() => _inviteMessage = SipParser.Parse(s_invite, out _)!;

    [Benchmark]
    public int ParseInvite()
    {
        using var m = SipParser.Parse(s_invite, out _)!;
        return m.ContentLength;
    }

    [Benchmark]
    public int ParseRegister()
    {
        using var m = SipParser.Parse(s_register, out _)!;
        return m.Expires;
    }

    [Benchmark]
    public int Parse200Ok()
    {
        using var m = SipParser.Parse(s_ok, out _)!;
        return m.StatusCode;
    }

    /// <summary>Serialising a parsed message back to bytes (it keeps its wire form).</summary>
    [Benchmark]
    public int SerializeInvite()
    {
        Span<byte> out1 = stackalloc byte[2048];
        _inviteMessage.Bytes.CopyTo(out1);
        return _inviteMessage.Length;
    }

    /// <summary>Building a 200 OK for the INVITE from scratch, as the UAS does.</summary>
    [Benchmark]
    public int Build200Ok()
    {
        using var w = SipResponses.Start(_inviteMessage, 200, toTag: "a6c85cf");
        w.Header(HeaderId.Contact, "<sip:1002@192.168.1.21:5064>");
        w.Body(Encoding.ASCII.GetBytes(Sdp), "application/sdp");
        return w.Written.Length;
    }
}
