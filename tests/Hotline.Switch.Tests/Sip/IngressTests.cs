using System.Net;
using Hotline.Switch.Sip;
using Hotline.Switch.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Switch.Tests.Sip;

public class IngressTests
{
    private static (SipIngress Ingress, List<SipMessage> Sent, List<SipMessage> Delivered) Make()
    {
        var ingress = new SipIngress(new SipOptions(), new FakeTimeProvider(), NullLoggerFactory.Instance);
        var sent = new List<SipMessage>();
        var delivered = new List<SipMessage>();
        ingress.SendDirect = (m, _) => { sent.Add(m); return true; };
        ingress.Deliver = delivered.Add;
        return (ingress, sent, delivered);
    }

    private static readonly SipEndPoint s_peer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5062));

    [Fact]
    public void Request_without_CallID_From_and_To_still_gets_a_400_naming_the_problem()
    {
        var (ingress, sent, delivered) = Make();
        var insuf = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Sip", "Torture", "rfc4475", "insuf.dat"));
        ingress.Handle(insuf, s_peer);
        Assert.Empty(delivered);
        var response = Assert.Single(sent);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("missing", response.GetHeader(HeaderId.Warning));
        Assert.Equal("z9hG4bKkdj.insuf", response.Text(response.TopVia.Branch));
        Assert.Equal(193942u, response.CSeq.Number);
    }

    [Fact]
    public void Bad_version_gets_505_and_good_messages_are_delivered()
    {
        var (ingress, sent, delivered) = Make();
        ingress.Handle(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Sip", "Torture", "rfc4475", "badvers.dat")), s_peer);
        Assert.Equal(505, Assert.Single(sent).StatusCode);
        ingress.Handle(SampleMessages.Bytes(SampleMessages.Register), s_peer);
        Assert.Equal(SipMethod.Register, Assert.Single(delivered).Method);
        Assert.Equal(s_peer, delivered[0].Source);
    }

    [Fact]
    public void Garbage_is_dropped_and_counted()
    {
        var (ingress, sent, delivered) = Make();
        ingress.Handle("\u0001\u0002 not sip at all"u8, s_peer);
        ingress.Handle(new byte[3000], s_peer);
        Assert.Empty(sent);
        Assert.Empty(delivered);
        Assert.Equal(2, ingress.MalformedCount);
    }
}
