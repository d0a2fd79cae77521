using System.Net;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Calls;

/// <summary>
/// A destination run for a call (feature codes, own-mailbox voicemail, prompt recording) is told which
/// local phone placed it, from the INVITE's authentication, and is told none for a call from a trunk.
/// </summary>
public class CallerExtensionTests
{
    [Fact]
    public async Task A_destination_sees_the_extension_that_authenticated_the_call()
    {
        string? seen = "unset";
        await using var kit = new CallTestKit();
        kit.Router.Routes["*851002"] = new RouteDecision(new RouteTarget(RouteTargetKind.Feature, "*851002"), [], false);
        var feature = new ScriptedDestination(async (call, _) =>
        {
            seen = call.CallerExtension;
            await call.HangupAsync(403);
        });
        kit.Calls.RegisterDestination(RouteTargetKind.Feature, feature);
        var phone = kit.Phone("1004", 5068);
        await phone.Call("*851002");
        Assert.Null(await feature.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("1004", seen);
    }

    [Fact]
    public async Task A_destination_sees_no_extension_on_a_call_from_a_trunk()
    {
        string? seen = "unset";
        await using var kit = new CallTestKit();
        var carrier = new IPEndPoint(IPAddress.Parse("10.9.0.1"), 5060);
        kit.Trunks.Trunks["pstn"] = carrier;
        kit.Router.Routes["12345"] = new RouteDecision(new RouteTarget(RouteTargetKind.Ivr, "main"), [], false);
        var flow = new ScriptedDestination(async (call, _) =>
        {
            seen = call.CallerExtension;
            await call.HangupAsync(480);
        });
        kit.Calls.RegisterDestination(RouteTargetKind.Ivr, flow);
        var w = SipMessageWriter.Request(SipMethod.Invite, "sip:12345@hotline");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP {carrier};branch={SipIds.NewBranch()}").Header(HeaderId.MaxForwards, 70)
            .Header(HeaderId.From, "<sip:13912345678@carrier>;tag=c1").Header(HeaderId.To, "<sip:12345@hotline>")
            .Header(HeaderId.CallId, "inbound-ext@carrier").Header(HeaderId.CSeq, "1 INVITE").Header(HeaderId.Contact, $"<sip:13912345678@{carrier}>");
        kit.Receive(w.Body(FakeLeg.Sdp("carrier", 30000), "application/sdp").ToMessage(), carrier);
        Assert.Null(await flow.Finished.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Null(seen);
    }
}
