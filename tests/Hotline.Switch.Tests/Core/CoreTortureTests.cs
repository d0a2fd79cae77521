using System.Net;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Core;

/// <summary>
/// The application-level torture tests of RFC 4475 §3.3 answered by the switch core: what a UAS and
/// registrar must respond once the message has parsed.
/// </summary>
public class CoreTortureTests
{
    private static readonly string s_root = Path.Combine(AppContext.BaseDirectory, "Sip", "Torture", "rfc4475");
    private static readonly IPEndPoint s_front = new(IPAddress.Parse("192.0.2.250"), 5060);

    private static byte[] File(string name) => System.IO.File.ReadAllBytes(Path.Combine(s_root, name + ".dat"));

    /// <summary>A kit whose requests come from a trusted SIP front end, so answers past authentication show.</summary>
    private static CoreTestKit TrustedKit()
    {
        var kit = new CoreTestKit(new RegistrarOptions { TrustedProxies = [s_front.Address.ToString()] });
        kit.Core.IsTrustedSource = m => m.Source!.EndPoint.Address.Equals(s_front.Address);
        return kit;
    }

    [Theory]
    [InlineData("unkscm", 416)]   // §3.3.2
    [InlineData("novelsc", 416)]  // §3.3.3
    [InlineData("unksm2", 400)]   // §3.3.4: a registrar needs a SIP AOR in To
    [InlineData("bext01", 420)]   // §3.3.5
    [InlineData("invut", 415)]    // §3.3.6
    [InlineData("zeromf", 200)]   // §3.3.11: an endpoint answers OPTIONS with Max-Forwards 0
    [InlineData("sdp01", 406)]    // §3.3.15
    [InlineData("intmeth", 501)]  // §3.1.1.2: unknown method
    [InlineData("esc02", 501)]    // §3.1.1.5: RE%47IST%45R is not REGISTER
    [InlineData("badbranch", 200)]// §3.2.1: parsed and processed
    public async Task Core_answers_as_the_RFC_expects(string name, int status)
    {
        await using var kit = TrustedKit();
        var response = Assert.Single(kit.Send(File(name), s_front));
        Assert.Equal(status, response.StatusCode);
        if (status == 420)
            Assert.Equal("nothingSupportsThis, nothingSupportsThisEither", response.GetHeader(HeaderId.Unsupported));
        if (status == 501) Assert.NotNull(response.GetHeader(HeaderId.Allow));
        if (status == 415) Assert.Equal("application/sdp", response.GetHeader(HeaderId.Accept));
    }

    [Fact]
    public async Task Unknown_authorization_scheme_is_challenged()
    {
        await using var kit = new CoreTestKit();
        var response = Assert.Single(kit.Send(File("regaut01")));
        Assert.Equal(401, response.StatusCode); // §3.3.7: a challenging registrar answers 401
    }

    [Fact]
    public async Task Addr_spec_contact_parameters_stay_out_of_the_binding_URI()
    {
        // §3.3.12: without <>, ;unknownparam is a header parameter; with <> (§3.3.13) it belongs to the URI.
        // (Separate switches: the two messages share a branch and would be one transaction.)
        await using (var kit = TrustedKit())
        {
            Assert.Equal(200, Assert.Single(kit.Send(File("cparam01"), s_front)).StatusCode);
            var b = Assert.Single(kit.Bindings.Lookup("watson"));
            Assert.Equal("sip:+19725552222@gw1.example.net", b.ContactUri);
            Assert.Equal(";unknownparam", b.ContactParams);
        }
        await using (var kit = TrustedKit())
        {
            Assert.Equal(200, Assert.Single(kit.Send(File("cparam02"), s_front)).StatusCode);
            var b = Assert.Single(kit.Bindings.Lookup("watson"));
            Assert.Equal("sip:+19725552222@gw1.example.net;unknownparam", b.ContactUri);
            Assert.Equal("", b.ContactParams);
        }
    }

    [Fact]
    public async Task Escaped_headers_in_a_contact_are_kept_for_later_fetches()
    {
        await using var kit = TrustedKit();
        var ok = Assert.Single(kit.Send(File("regescrt"), s_front));
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("sip:user@example.com?Route=%3Csip:sip.example.com%3E", ok.Text(ok.Contact.Uri)); // §3.3.14
    }

    [Fact]
    public async Task Requests_with_a_To_tag_and_no_dialog_get_481()
    {
        await using var kit = TrustedKit();
        var bye = SipMessageWriter.Request(SipMethod.Bye, "sip:1001@hotline")
            .Header(HeaderId.Via, "SIP/2.0/UDP 192.0.2.250;branch=z9hG4bKbye1").Header(HeaderId.From, "<sip:a@b>;tag=1")
            .Header(HeaderId.To, "<sip:1001@hotline>;tag=2").Header(HeaderId.CallId, "nodialog@x").Header(HeaderId.CSeq, "2 BYE")
            .NoBody().ToMessage();
        Assert.Equal(481, Assert.Single(kit.Send(bye, s_front)).StatusCode);
    }

    [Fact]
    public async Task INVITE_from_an_unknown_source_is_challenged_statelessly()
    {
        await using var kit = new CoreTestKit();
        var response = Assert.Single(kit.Send(File("inv2543")));
        Assert.Equal(407, response.StatusCode);
        Assert.NotNull(response.GetHeader(HeaderId.ProxyAuthenticate));
        Assert.Equal(0, kit.Layer.ServerCount); // nothing kept: a flood of INVITEs costs no state
    }
}
