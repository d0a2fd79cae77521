using System.Text;

namespace Hotline.Switch.Tests.Sip;

/// <summary>Typical messages as real phones send them.</summary>
public static class SampleMessages
{
    public const string Sdp =
        "v=0\r\n" +
        "o=- 3912345678 3912345678 IN IP4 192.168.1.20\r\n" +
        "s=-\r\n" +
        "c=IN IP4 192.168.1.20\r\n" +
        "t=0 0\r\n" +
        "m=audio 16384 RTP/AVP 8 0 9 101\r\n" +
        "a=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:9 G722/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\n" +
        "a=fmtp:101 0-16\r\n" +
        "a=ptime:20\r\n" +
        "a=sendrecv\r\n";

    public static readonly string Invite =
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
        $"Content-Length: {Sdp.Length}\r\n" +
        "\r\n" + Sdp;

    public const string Register =
        "REGISTER sip:192.168.1.10 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bKnashds7;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:1001@192.168.1.10>\r\n" +
        "From: <sip:1001@192.168.1.10>;tag=456248\r\n" +
        "Call-ID: 843817637684230@998sdasdh09\r\n" +
        "CSeq: 1826 REGISTER\r\n" +
        "Contact: <sip:1001@192.168.1.20:5062>;expires=3600\r\n" +
        "Expires: 3600\r\n" +
        "User-Agent: baresip v1.0.0 (x86_64/linux)\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    public const string Ok =
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP 192.168.1.20:5062;branch=z9hG4bK776asdhds;rport=5062;received=192.168.1.20\r\n" +
        "To: <sip:1002@192.168.1.10>;tag=a6c85cf\r\n" +
        "From: \"Alice Zhang\" <sip:1001@192.168.1.10>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:1002@192.168.1.21:5064>\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);
}
