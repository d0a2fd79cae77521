using System.Net;
using System.Text;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Dialogs;

/// <summary>
/// The remote target (RFC 3261 §12.1.1) is the Request-URI of every request we send in a dialog, BYE
/// included: a Contact that cannot be one must not leave a call we cannot hang up.
/// </summary>
public class DialogTargetTests
{
    private static readonly LocalContact s_local = LocalContact.From(new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly SipEndPoint s_peer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.0.2.7"), 5080));

    private static SipMessage Invite(string contact, string from = "<sip:13800138000@192.0.2.7>", int cseq = 1)
    {
        var text = "INVITE sip:12345@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7:5080;branch=z9hG4bKd" + cseq + "\r\n"
            + $"Max-Forwards: 70\r\nFrom: {from};tag=f1\r\nTo: <sip:12345@127.0.0.1>\r\nCall-ID: dt@192.0.2.7\r\nCSeq: {cseq} INVITE\r\n"
            + (contact.Length > 0 ? $"Contact: {contact}\r\n" : "") + "Content-Length: 0\r\n\r\n";
        var m = SipParser.Parse(Encoding.Latin1.GetBytes(text), out var error);
        Assert.True(m is { IsValid: true }, error ?? m?.ParseError);
        m!.Source = s_peer;
        return m;
    }

    private static string ByeUri(Dialog dialog)
    {
        using var bye = dialog.Request(SipMethod.Bye).NoBody().ToMessage();
        return bye.RequestUriText;
    }

    [Theory]
    [InlineData("<sip:13800138000@192.0.2.7:5080;transport=udp>", "sip:13800138000@192.0.2.7:5080;transport=udp")]
    [InlineData("<sip:13800138000@192.0.2.7:5080?Subject=hi>", "sip:13800138000@192.0.2.7:5080")] // no headers in a Request-URI
    [InlineData("<\u0001ip:x@192.0.2.7>", "sip:13800138000@192.0.2.7")] // the header parser takes it; no request could: the From
    [InlineData("<tel:+8613800138000>", "sip:13800138000@192.0.2.7")]
    [InlineData("", "sip:13800138000@192.0.2.7")]
    public void The_peers_contact_is_the_target_when_it_can_be_a_Request_URI(string contact, string target)
    {
        Assert.Equal(target, ByeUri(Dialog.ForUas(s_local, Invite(contact), "t1")));
    }

    [Fact]
    public void With_neither_Contact_nor_From_usable_requests_go_to_the_source()
    {
        var dialog = Dialog.ForUas(s_local, Invite("<tel:+8613800138000>", from: "<tel:+8613800138000>"), "t1");
        Assert.Equal("sip:192.0.2.7:5080", ByeUri(dialog));
    }

    [Fact]
    public void A_target_refresh_with_an_unusable_Contact_keeps_the_target()
    {
        var dialog = Dialog.ForUas(s_local, Invite("<sip:a@192.0.2.7:5080>"), "t1");
        Assert.True(dialog.AcceptRemoteSequence(Invite("<\u0001ip:b@192.0.2.7>", cseq: 2)));
        Assert.Equal("sip:a@192.0.2.7:5080", ByeUri(dialog));
        Assert.True(dialog.AcceptRemoteSequence(Invite("<sip:b@192.0.2.8:5090>", cseq: 3)));
        Assert.Equal("sip:b@192.0.2.8:5090", ByeUri(dialog));
    }
}
