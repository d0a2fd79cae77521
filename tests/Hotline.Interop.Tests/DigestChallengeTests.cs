using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>A switch configured to offer SHA-256 as well as MD5 (for sites whose phones all take it).</summary>
public sealed class Sha256Switch : SwitchFixture
{
    protected override object? Overlay => new { Security = new { DigestAlgorithms = new[] { "MD5", "SHA-256" } } };
}

/// <summary>Both algorithms offered: one challenge each, in the configured order (RFC 8760 §2.4).</summary>
public sealed class Sha256ChallengeTests(Sha256Switch fixture) : InteropTest(fixture), IClassFixture<Sha256Switch>
{
    [Fact]
    public async Task REGISTER_challenge_offers_each_configured_algorithm_once_in_order()
    {
        using var probe = new SipProbe(Switch.Port);
        var answer = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("REGISTER", Switch.Port, probe.LocalPort,
            extra: [$"Contact: <sip:1001@127.0.0.1:{probe.LocalPort}>", "Expires: 300"])), TimeSpan.FromSeconds(2));

        Assert.Equal(401, SipText.Status(answer));
        var challenges = SipText.Headers(answer, "WWW-Authenticate");
        Assert.True(challenges.Count == 2, Explain($"expected 2 challenges (MD5, SHA-256), got {challenges.Count}:\n{answer}"));
        Assert.Contains("algorithm=MD5,", challenges[0], StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256,", challenges[1], StringComparison.Ordinal);
    }
}

/// <summary>What an unauthenticated client sees, read on the test's own UDP socket.</summary>
public sealed class DigestChallengeTests(DemoSwitch fixture) : InteropTest(fixture), IClassFixture<DemoSwitch>
{
    private static readonly TimeSpan Answer = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task REGISTER_challenge_is_MD5_with_qop_auth_in_the_demo()
    {
        using var probe = new SipProbe(Switch.Port);
        var answer = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("REGISTER", Switch.Port, probe.LocalPort,
            extra: [$"Contact: <sip:1001@127.0.0.1:{probe.LocalPort}>", "Expires: 300"])), Answer);

        Assert.Equal(401, SipText.Status(answer));
        // The demo offers MD5 alone: baresip 1.0 and many desk phones refuse a 401 that also offers SHA-256.
        var challenge = Assert.Single(SipText.Headers(answer, "WWW-Authenticate"));
        Assert.Contains("algorithm=MD5,", challenge, StringComparison.Ordinal);
        Assert.Contains("realm=\"hotline\"", challenge, StringComparison.Ordinal);
        Assert.Contains("qop=\"auth\"", challenge, StringComparison.Ordinal);
        Assert.Equal("Hotline", SipText.Headers(answer, "Server").Single());
    }

    [Fact]
    public async Task INVITE_to_an_existing_and_to_a_missing_extension_gets_the_same_407()
    {
        using var probe = new SipProbe(Switch.Port);
        var existing = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("INVITE", Switch.Port, probe.LocalPort, user: "1001")), Answer);
        var missing = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("INVITE", Switch.Port, probe.LocalPort, user: "1999")), Answer);

        Assert.Equal(407, SipText.Status(existing));
        Assert.Equal(407, SipText.Status(missing));
        Assert.Equal(SipText.Headers(existing, "Proxy-Authenticate").Count, SipText.Headers(missing, "Proxy-Authenticate").Count);
    }

    [Fact]
    public async Task OPTIONS_is_answered_200_without_credentials()
    {
        using var probe = new SipProbe(Switch.Port);
        var answer = await probe.ExchangeAsync(SipText.Bytes(SipText.Request("OPTIONS", Switch.Port, probe.LocalPort)), Answer);

        Assert.Equal(200, SipText.Status(answer));
        Assert.Contains("REGISTER", SipText.Headers(answer, "Allow").Single(), StringComparison.Ordinal);
    }
}
