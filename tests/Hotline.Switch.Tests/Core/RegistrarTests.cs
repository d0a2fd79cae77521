using Hotline.Switch.Auth;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Core;

public class RegistrarTests
{
    [Fact]
    public async Task REGISTER_is_challenged_then_accepted_with_the_binding_echoed()
    {
        await using var kit = new CoreTestKit();
        var ok = kit.RegisterWithAuth("1001", "secret1001");
        Assert.Equal(200, ok.StatusCode);
        var contact = Assert.Single(ok.NameAddrs(HeaderId.Contact));
        Assert.Equal("sip:1001@192.168.1.20:5062", ok.Text(contact.Uri));
        Assert.True(SipParamEnumerator.TryFind(ok.Bytes, contact.Parameters, "expires"u8, out var exp));
        Assert.Equal("3600", ok.Text(exp));
        Assert.NotNull(ok.GetHeader(HeaderId.Date));
        var binding = Assert.Single(kit.Bindings.Lookup("1001"));
        Assert.Equal("192.168.1.20", binding.SourceAddress);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_get_the_same_answers()
    {
        await using var kit = new CoreTestKit();
        var unknown = kit.RegisterWithAuth("1999", "whatever");
        var wrong = kit.RegisterWithAuth("1001", "wrong-password");
        Assert.Equal(403, unknown.StatusCode);
        Assert.Equal(403, wrong.StatusCode);
        Assert.Equal(unknown.ReasonText, wrong.ReasonText);
        Assert.Empty(kit.Bindings.Lookup("1001"));
    }

    [Fact]
    public async Task Challenges_offer_MD5_then_SHA256_with_qop_auth()
    {
        await using var kit = new CoreTestKit();
        var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1001")));
        var values = challenge.Headers(HeaderId.WwwAuthenticate);
        var texts = new List<string>();
        foreach (var v in values) texts.Add(challenge.Text(v));
        Assert.Equal(2, texts.Count);
        Assert.Contains("algorithm=MD5", texts[0]);
        Assert.Contains("algorithm=SHA-256", texts[1]);
        Assert.All(texts, t => Assert.Contains("qop=\"auth\"", t));
        Assert.All(texts, t => Assert.Contains("realm=\"hotline\"", t));
    }

    [Fact]
    public async Task SHA256_credentials_are_accepted()
    {
        await using var kit = new CoreTestKit();
        var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1002", callId: "sha@x")));
        var answer = new DigestClient("1002", "secret1002").Answer(challenge, "REGISTER", "sip:hotline")!.Value;
        Assert.Contains("algorithm=SHA-256", answer.Value);
        var ok = Assert.Single(kit.Send(CoreTestKit.Register("1002", callId: "sha@x", authorization: answer.Value)));
        Assert.Equal(200, ok.StatusCode);
    }

    [Fact]
    public async Task Credentials_of_one_user_cannot_register_another_AOR()
    {
        await using var kit = new CoreTestKit();
        var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1002", callId: "x@y")));
        var answer = new DigestClient("1001", "secret1001").Answer(challenge, "REGISTER", "sip:hotline")!.Value;
        var refused = Assert.Single(kit.Send(CoreTestKit.Register("1002", callId: "x@y", authorization: answer.Value)));
        Assert.Equal(403, refused.StatusCode);
    }

    [Fact]
    public async Task Replayed_nonce_count_is_refused()
    {
        await using var kit = new CoreTestKit();
        var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: "r@y")));
        var answer = new DigestClient("1001", "secret1001").Answer(challenge, "REGISTER", "sip:hotline")!.Value;
        Assert.Equal(200, Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: "r@y", cseq: 50, authorization: answer.Value))).StatusCode);
        // The same Authorization (same nonce, same nc) again in a new transaction is a replay.
        Assert.Equal(403, Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: "r@y", cseq: 51, authorization: answer.Value))).StatusCode);
    }

    [Fact]
    public async Task Expired_nonce_with_right_password_gets_stale_challenge()
    {
        await using var kit = new CoreTestKit();
        var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: "s@y")));
        var answer = new DigestClient("1001", "secret1001").Answer(challenge, "REGISTER", "sip:hotline")!.Value;
        kit.Time.Advance(TimeSpan.FromMinutes(6));
        var again = Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: "s@y", authorization: answer.Value)));
        Assert.Equal(401, again.StatusCode);
        Assert.Contains("stale=true", again.GetHeader(HeaderId.WwwAuthenticate));
    }

    [Fact]
    public async Task Too_short_expiry_gets_423_with_MinExpires()
    {
        await using var kit = new CoreTestKit();
        var r = kit.RegisterWithAuth("1001", "secret1001", expires: 10);
        Assert.Equal(423, r.StatusCode);
        Assert.Equal("60", r.GetHeader(HeaderId.MinExpires));
    }

    [Fact]
    public async Task Long_expiry_is_capped_and_contact_expires_parameter_wins()
    {
        await using var kit = new CoreTestKit();
        var r = kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.5>;expires=120", expires: 99999);
        Assert.Equal(200, r.StatusCode);
        Assert.Contains("expires=120", r.GetHeader(HeaderId.Contact));
        var capped = kit.RegisterWithAuth("1002", "secret1002", expires: 99999);
        Assert.Contains("expires=3600", capped.GetHeader(HeaderId.Contact));
    }

    [Fact]
    public async Task Several_contacts_per_AOR_and_wildcard_unregister()
    {
        await using var kit = new CoreTestKit();
        Assert.Equal(200, kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.1>").StatusCode);
        var second = kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.2>");
        Assert.Equal(2, second.ContactCount);
        Assert.Equal(2, kit.Bindings.Lookup("1001").Count);
        var gone = kit.RegisterWithAuth("1001", "secret1001", contact: "*", expires: 0);
        Assert.Equal(200, gone.StatusCode);
        Assert.Equal(0, gone.ContactCount);
        Assert.Empty(kit.Bindings.Lookup("1001"));
    }

    [Theory]
    [InlineData("<\u0001ip:{0}@10.0.0.1>")] // the header parser takes any URI between < and >
    [InlineData("<sip: @10.0.0.1>")]
    [InlineData("<tel:+8612345>")]     // a number, not a place to send a SIP request
    [InlineData("<mailto:a@b.example>")]
    public async Task Contacts_that_are_not_SIP_URIs_are_refused_and_nothing_is_bound(string contact)
    {
        await using var kit = new CoreTestKit();
        var response = kit.RegisterWithAuth("1001", "secret1001", contact: contact);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("SIP", response.ReasonText);
        Assert.Empty(kit.Bindings.Lookup("1001"));
    }

    [Fact]
    public async Task A_contact_too_long_for_the_stores_key_is_refused()
    {
        await using var kit = new CoreTestKit();
        var longest = "<sip:{0}@" + new string('h', RegistrarService.MaxContactBytes - "sip:1001@".Length) + ">";
        Assert.Equal(200, kit.RegisterWithAuth("1001", "secret1001", contact: longest).StatusCode);
        var response = kit.RegisterWithAuth("1001", "secret1001", contact: longest.Replace(">", "h>"));
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("longer than", response.ReasonText);
        Assert.Single(kit.Bindings.Lookup("1001"));
    }

    [Fact]
    public async Task A_trunk_trusted_by_its_address_cannot_register_an_extension()
    {
        // Trusted for calls only: its REGISTER is challenged like anyone's and binds nothing unanswered.
        await using var kit = new CoreTestKit();
        kit.Core.IsTrustedSource = m => m.Source!.EndPoint.Equals(CoreTestKit.Phone);
        var response = Assert.Single(kit.Send(CoreTestKit.Register("1001")));
        Assert.Equal(401, response.StatusCode);
        Assert.Empty(kit.Bindings.Lookup("1001"));
        // Nor watch a mailbox: any request but INVITE is challenged (407) before a handler sees it.
        var w = SipMessageWriter.Request(SipMethod.Subscribe, "sip:1001@hotline");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP 192.168.1.20:5062;branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, "<sip:carrier@192.168.1.20>;tag=c1");
        w.Header(HeaderId.To, "<sip:1001@hotline>");
        w.Header(HeaderId.CallId, "mwi-from-trunk@carrier");
        w.Header(HeaderId.CSeq, "1 SUBSCRIBE");
        w.Header(HeaderId.Event, "message-summary");
        Assert.Equal(407, Assert.Single(kit.Send(w.NoBody().ToMessage())).StatusCode);
    }

    [Fact]
    public async Task Wildcard_without_expires_zero_is_400()
    {
        await using var kit = new CoreTestKit();
        Assert.Equal(400, kit.RegisterWithAuth("1001", "secret1001", contact: "*", expires: 60).StatusCode);
    }

    [Fact]
    public async Task Expires_zero_removes_one_binding()
    {
        await using var kit = new CoreTestKit();
        kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.1>");
        kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.2>");
        var r = kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.1>", expires: 0);
        Assert.Equal("sip:1001@10.0.0.2", r.Text(Assert.Single(r.NameAddrs(HeaderId.Contact)).Uri));
    }

    [Fact]
    public async Task Bindings_expire_on_the_sweep()
    {
        await using var kit = new CoreTestKit();
        kit.RegisterWithAuth("1001", "secret1001", expires: 60);
        var changes = new List<BindingChange>();
        kit.Bindings.Changed += changes.Add;
        kit.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Single(kit.Bindings.Lookup("1001"));
        kit.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(kit.Bindings.Lookup("1001"));
        Assert.Equal(0, kit.Bindings.Count);
        Assert.Contains(changes, c => c.Kind == BindingChangeKind.Expired);
    }

    [Fact]
    public async Task Bindings_survive_a_restart_through_the_store()
    {
        await using var kit = new CoreTestKit();
        kit.RegisterWithAuth("1001", "secret1001", contact: "<sip:{0}@10.0.0.7:5070>");
        await kit.Bindings.FlushAsync();
        await using var reloaded = kit.NewBindingTable();
        var b = Assert.Single(reloaded.Lookup("1001"));
        Assert.Equal("sip:1001@10.0.0.7:5070", b.ContactUri);
        Assert.Equal(5062, b.SourcePort);
    }

    [Fact]
    public async Task Query_without_contact_lists_bindings_and_changes_nothing()
    {
        await using var kit = new CoreTestKit();
        kit.RegisterWithAuth("1001", "secret1001");
        var q = kit.RegisterWithAuth("1001", "secret1001", contact: "", expires: null);
        Assert.Equal(200, q.StatusCode);
        Assert.Equal(1, q.ContactCount);
    }

    [Fact]
    public async Task Repeated_failures_throttle_then_block_the_source()
    {
        await using var kit = new CoreTestKit();
        var attacker = new System.Net.IPEndPoint(System.Net.IPAddress.Parse("203.0.113.66"), 5060);
        var answered403 = 0;
        for (var i = 0; i < 10; i++)
        {
            var challenge = Assert.Single(kit.Send(CoreTestKit.Register("1001", callId: $"g{i}@x"), attacker));
            var answer = new DigestClient("1001", $"guess{i}").Answer(challenge, "REGISTER", "sip:hotline")!.Value;
            answered403 += kit.Send(CoreTestKit.Register("1001", callId: $"g{i}@x", authorization: answer.Value), attacker).Count(r => r.StatusCode == 403);
        }
        // Past 5 failures at most one answer per second: fewer than 10 answers came back.
        Assert.InRange(answered403, 5, 6);
        Assert.True(kit.Guard.IsBlocked(attacker.Address));
        Assert.False(kit.Guard.IsBlocked(CoreTestKit.Phone.Address));
        kit.Time.Advance(TimeSpan.FromSeconds(kit.Security.BlockSeconds + 1));
        Assert.False(kit.Guard.IsBlocked(attacker.Address));
    }
}
