using System.Net;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Sip;

public class SipResponsesTests
{
    [Fact]
    public void Response_copies_dialog_headers_and_adds_received_and_rport()
    {
        using var request = SipParser.Parse(SampleMessages.Bytes(SampleMessages.Invite), out _)!;
        request.Source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("203.0.113.7"), 40000));
        using var response = SipResponses.Create(request, 180, toTag: "tag77");
        Assert.True(response.IsValid, response.ParseError);
        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing", response.ReasonText);
        Assert.Equal(40000, response.TopVia.RPort);
        Assert.Equal("203.0.113.7", response.Text(response.TopVia.Received));
        Assert.Equal("z9hG4bK776asdhds", response.Text(response.TopVia.Branch));
        Assert.Equal("tag77", response.Text(response.To.Tag));
        Assert.Equal(request.CallId, response.CallId);
        Assert.Equal(request.CSeq.Number, response.CSeq.Number);
        Assert.Equal(SipMethod.Invite, response.CSeq.Method);
        Assert.Equal(request.Text(request.From.Value), response.Text(response.From.Value));
    }

    [Fact]
    public void Response_to_a_request_from_the_Via_address_without_rport_adds_nothing()
    {
        var text = SampleMessages.Register.Replace(";rport", "");
        using var request = SipParser.Parse(SampleMessages.Bytes(text), out _)!;
        request.Source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.168.1.20"), 5062));
        using var response = SipResponses.Create(request, 200, toTag: "x");
        Assert.False(response.TopVia.Received.IsPresent);
        Assert.Equal(-1, response.TopVia.RPort);
    }
}
