using Hotline.Switch.Auth;
using Hotline.Switch.Sip;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Trunks;

public class RegistrationTests
{
    private const string Challenge = "WWW-Authenticate: Digest realm=\"carrier.example\", nonce=\"n0nce-1\", qop=\"auth\", algorithm=MD5";

    private static RegistrationStatus Status(TrunkTestKit kit) => kit.Manager.Status("carrier")!.Registration!;

    /// <summary>Checks the digest response against an independent computation from the password.</summary>
    private static void AssertAnswers(SipMessage register, string user, string password, string nonce)
    {
        var c = DigestCredentials.Parse(register, register.First(HeaderId.Authorization));
        Assert.NotNull(c);
        Assert.Equal(user, c.Username);
        Assert.Equal("carrier.example", c.Realm);
        Assert.Equal(nonce, c.Nonce);
        Assert.Equal("sip:203.0.113.10", c.Uri);
        var ha1 = DigestHash.Hex(DigestAlgorithm.Md5, $"{user}:carrier.example:{password}");
        var ha2 = DigestHash.Hex(DigestAlgorithm.Md5, $"REGISTER:{c.Uri}");
        Assert.Equal(DigestHash.Hex(DigestAlgorithm.Md5, $"{ha1}:{nonce}:{c.Nc}:{c.Cnonce}:auth:{ha2}"), c.Response);
    }

    [Fact]
    public async Task Registers_through_a_challenge_and_refreshes_at_half_the_granted_time()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();

        var first = Assert.Single(kit.Requests(SipMethod.Register));
        Assert.Equal("sip:203.0.113.10", first.RequestUriText);
        Assert.Equal("<sip:02188886666@203.0.113.10>", first.GetHeader(HeaderId.To));
        Assert.StartsWith("<sip:02188886666@203.0.113.10>;tag=", first.GetHeader(HeaderId.From));
        Assert.Equal("<sip:02188886666@192.0.2.1:5060>", first.GetHeader(HeaderId.Contact));
        Assert.Equal(3600, first.Expires);
        Assert.Null(first.GetHeader(HeaderId.Authorization));
        Assert.Equal(RegistrationState.Registering, Status(kit).State);

        kit.Respond(first, 401, Challenge);
        var second = kit.Last(SipMethod.Register);
        Assert.NotSame(first, second);
        Assert.Equal(first.CallId, second.CallId); // RFC 3261 §10.2.4: one Call-ID per registrar
        Assert.Equal(first.CSeq.Number + 1, second.CSeq.Number);
        AssertAnswers(second, "02188886666", "trunk-secret", "n0nce-1");

        kit.Respond(second, 200, "Contact: <sip:02188886666@192.0.2.1:5060>;expires=3600");
        var status = Status(kit);
        Assert.Equal(RegistrationState.Registered, status.State);
        Assert.Equal(kit.Start.AddSeconds(3600), status.RegisteredUntil);
        Assert.Equal(kit.Start.AddSeconds(1800), status.NextAttempt);

        kit.Advance(1799.9);
        Assert.Equal(2, kit.Requests(SipMethod.Register).Count);
        kit.Advance(0.1);
        var refresh = kit.Last(SipMethod.Register);
        Assert.Equal(3, kit.Requests(SipMethod.Register).Count);
        Assert.Equal(first.CallId, refresh.CallId);
        Assert.Equal(second.CSeq.Number + 1, refresh.CSeq.Number);
        Assert.Equal(RegistrationState.Registered, Status(kit).State); // still registered while refreshing
    }

    [Fact]
    public async Task Shorter_expiry_granted_in_our_contact_is_honoured()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        // Another device's binding is listed too; ours is the one that counts. The Expires header is ignored.
        kit.Respond(kit.Last(SipMethod.Register), 200,
            "Contact: <sip:desk@198.51.100.3>;expires=3000",
            "Contact: <sip:02188886666@192.0.2.1:5060>;expires=600",
            "Expires: 3600");
        Assert.Equal(kit.Start.AddSeconds(600), Status(kit).RegisteredUntil);
        kit.Advance(299.9);
        Assert.Single(kit.Requests(SipMethod.Register));
        kit.Advance(0.1);
        Assert.Equal(2, kit.Requests(SipMethod.Register).Count);
    }

    [Fact]
    public async Task Short_grant_is_refreshed_30_seconds_before_it_ends()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 200, "Expires: 50"); // no Contact: the Expires header says
        Assert.Equal(kit.Start.AddSeconds(50), Status(kit).RegisteredUntil);
        kit.Advance(19.9);
        Assert.Single(kit.Requests(SipMethod.Register));
        kit.Advance(0.1);
        Assert.Equal(2, kit.Requests(SipMethod.Register).Count);
    }

    [Fact]
    public async Task Interval_too_brief_asks_again_with_min_expires()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1(t => t with { RegisterExpires = 60 }));
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 423, "Min-Expires: 300");
        var again = kit.Last(SipMethod.Register);
        Assert.Equal(300, again.Expires);
        kit.Respond(again, 200, "Contact: <sip:02188886666@192.0.2.1:5060>;expires=300");
        Assert.Equal(RegistrationState.Registered, Status(kit).State);
        kit.Advance(150);
        Assert.Equal(300, kit.Last(SipMethod.Register).Expires); // refreshes keep asking for what was accepted
    }

    [Fact]
    public async Task Forbidden_backs_off_doubling_from_30_seconds_to_10_minutes()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        var sentAt = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            var register = kit.Last(SipMethod.Register);
            sentAt.Add(kit.Elapsed.TotalSeconds);
            kit.Respond(register, 403);
            var status = Status(kit);
            Assert.Equal(RegistrationState.Failed, status.State);
            Assert.Equal(403, status.LastStatus);
            Assert.Equal("Forbidden", status.LastReason);
            Assert.Equal(i + 1, status.ConsecutiveFailures);
            var count = kit.Requests(SipMethod.Register).Count;
            // Step to the retry: nothing before it, a new REGISTER at it.
            var wait = status.NextAttempt!.Value - kit.Time.GetUtcNow();
            kit.Advance(wait - TimeSpan.FromMilliseconds(100));
            Assert.Equal(count, kit.Requests(SipMethod.Register).Count);
            kit.Advance(0.1);
            Assert.Equal(count + 1, kit.Requests(SipMethod.Register).Count);
        }
        var gaps = sentAt.Zip(sentAt.Skip(1), (a, b) => Math.Round(b - a, 1)).ToList();
        Assert.Equal([30, 60, 120, 240, 480, 600, 600], gaps);
    }

    [Fact]
    public async Task Jitter_brings_retries_up_to_a_fifth_early()
    {
        await using var kit = new TrunkTestKit(random: 1);
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 503);
        Assert.Equal(kit.Start.AddSeconds(24), Status(kit).NextAttempt);
        kit.Advance(24);
        kit.Respond(kit.Last(SipMethod.Register), 503);
        Assert.Equal(kit.Start.AddSeconds(24 + 48), Status(kit).NextAttempt);
    }

    [Fact]
    public async Task Retry_after_is_honoured_when_longer_than_the_back_off()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 503, "Retry-After: 120");
        Assert.Equal(kit.Start.AddSeconds(120), Status(kit).NextAttempt);
    }

    [Fact]
    public async Task Timeout_fails_after_timer_F_and_retries_after_the_back_off()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Advance(31.9);
        Assert.Equal(RegistrationState.Registering, Status(kit).State);
        kit.Advance(0.1); // Timer F = 64·T1 = 32 s
        var status = Status(kit);
        Assert.Equal(RegistrationState.Failed, status.State);
        Assert.Equal(408, status.LastStatus);
        Assert.Equal(kit.Start.AddSeconds(62), status.NextAttempt);
        kit.Advance(30);
        Assert.Equal(2, kit.Requests(SipMethod.Register).Count);
        // A second timeout doubles the wait.
        kit.Advance(32);
        Assert.Equal(kit.Start.AddSeconds(62 + 32 + 60), Status(kit).NextAttempt);
    }

    [Fact]
    public async Task Wrong_password_is_not_retried_within_the_attempt()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 401, Challenge);
        kit.Respond(kit.Last(SipMethod.Register), 401, Challenge.Replace("n0nce-1", "n0nce-2"));
        Assert.Equal(2, kit.Requests(SipMethod.Register).Count);
        var status = Status(kit);
        Assert.Equal(RegistrationState.Failed, status.State);
        Assert.Equal(401, status.LastStatus);
        Assert.Equal("credentials rejected", status.LastReason);
    }

    [Fact]
    public async Task Stale_nonce_is_answered_again()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 401, Challenge);
        kit.Respond(kit.Last(SipMethod.Register), 401, Challenge.Replace("n0nce-1", "n0nce-2") + ", stale=true");
        var third = kit.Last(SipMethod.Register);
        Assert.Equal(3, kit.Requests(SipMethod.Register).Count);
        AssertAnswers(third, "02188886666", "trunk-secret", "n0nce-2");
        kit.Respond(third, 200, "Expires: 3600");
        Assert.Equal(RegistrationState.Registered, Status(kit).State);
    }

    [Fact]
    public async Task Auth_username_answers_challenges_for_the_account()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1(t => t with { AuthUsername = "auth-id-77" }));
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 401, Challenge);
        var answer = kit.Last(SipMethod.Register);
        Assert.Equal("<sip:02188886666@203.0.113.10>", answer.GetHeader(HeaderId.To));
        AssertAnswers(answer, "auth-id-77", "trunk-secret", "n0nce-1");
    }

    [Fact]
    public async Task Unregisters_with_expires_zero_on_stop()
    {
        var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        var first = kit.Last(SipMethod.Register);
        kit.Respond(first, 200, "Expires: 3600");

        var stop = kit.Manager.DisposeAsync().AsTask();
        Assert.False(stop.IsCompleted);
        var bye = kit.Last(SipMethod.Register);
        Assert.Equal(0, bye.Expires);
        Assert.Equal(first.CallId, bye.CallId);
        Assert.Equal("<sip:02188886666@192.0.2.1:5060>", bye.GetHeader(HeaderId.Contact));
        // The registrar challenges the unregistration too.
        kit.Respond(bye, 401, Challenge);
        var answered = kit.Last(SipMethod.Register);
        Assert.Equal(0, answered.Expires);
        AssertAnswers(answered, "02188886666", "trunk-secret", "n0nce-1");
        kit.Respond(answered, 200);
        await stop;
        var status = kit.Manager.Status("carrier")!.Registration!;
        Assert.Equal(RegistrationState.Unregistered, status.State);
        Assert.Null(status.RegisteredUntil);
        kit.Advance(3600);
        Assert.Equal(3, kit.Requests(SipMethod.Register).Count); // no refresh after stopping
        kit.Store.Dispose();
    }

    [Fact]
    public async Task Stop_gives_up_waiting_for_an_unanswered_unregistration()
    {
        var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        kit.Respond(kit.Last(SipMethod.Register), 200, "Expires: 3600");
        var stop = kit.Manager.DisposeAsync().AsTask();
        kit.Advance(4.9);
        Assert.False(stop.IsCompleted);
        kit.Advance(0.1);
        await stop;
        Assert.Equal(RegistrationState.Unregistered, kit.Manager.Status("carrier")!.Registration!.State);
        kit.Store.Dispose();
    }

    [Fact]
    public async Task Store_edits_restart_the_registration()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        var first = kit.Last(SipMethod.Register);
        kit.Respond(first, 200, "Expires: 3600");

        // A new password: unregister the old binding, register afresh.
        kit.Trunks.Save(kit.Trunks.Find("carrier")! with { Password = "new-secret" });
        var sent = kit.Requests(SipMethod.Register);
        Assert.Equal(3, sent.Count);
        Assert.Equal(0, sent[1].Expires);
        Assert.Equal(3600, sent[2].Expires);
        Assert.NotEqual(first.CallId, sent[2].CallId);
        kit.Respond(sent[2], 401, Challenge);
        AssertAnswers(kit.Last(SipMethod.Register), "02188886666", "new-secret", "n0nce-1");

        // Registration turned off: unregister only (nothing held yet on the new binding, but a REGISTER was in flight).
        kit.Trunks.Save(kit.Trunks.Find("carrier")! with { Register = false });
        Assert.Equal(0, kit.Last(SipMethod.Register).Expires);
        Assert.Null(kit.Manager.Status("carrier")!.Registration);
    }

    [Fact]
    public async Task Inbound_requests_from_the_registrar_belong_to_the_trunk_while_registered()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1());
        kit.Manager.Start();
        Assert.Null(kit.Manager.MatchInbound(TrunkTestKit.Invite(TrunkTestKit.Carrier)));
        kit.Respond(kit.Last(SipMethod.Register), 200, "Expires: 120");
        Assert.Equal("carrier", kit.Manager.MatchInbound(TrunkTestKit.Invite(TrunkTestKit.Carrier)));
        Assert.Null(kit.Manager.MatchInbound(TrunkTestKit.Invite(System.Net.IPAddress.Parse("203.0.113.11"))));
        // The refresh goes unanswered: the grant still holds until it runs out …
        kit.Advance(60 + 32);
        Assert.Equal(RegistrationState.Failed, Status(kit).State);
        Assert.Equal("carrier", kit.Manager.MatchInbound(TrunkTestKit.Invite(TrunkTestKit.Carrier)));
        // … and not after.
        kit.Advance(28);
        Assert.Null(kit.Manager.MatchInbound(TrunkTestKit.Invite(TrunkTestKit.Carrier)));
    }
}
