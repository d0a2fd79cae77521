using System.Net;
using Hotline.Switch.Sip;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Trunks;

public class TrunkLimitTests
{
    private static TrunkTestKit Kit(int concurrent = 0, int perMinute = 0)
    {
        var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1(t => t with { Register = false, MaxConcurrentCalls = concurrent, MaxCallsPerMinute = perMinute }));
        kit.Manager.Start();
        return kit;
    }

    [Fact]
    public async Task Concurrent_limit_refuses_and_frees_on_dispose()
    {
        await using var kit = Kit(concurrent: 2);
        var a = kit.Manager.TryAcquire("carrier", out _);
        var b = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Null(kit.Manager.TryAcquire("carrier", out var refusal));
        Assert.Contains("2 calls up, the limit is 2", refusal);
        Assert.Equal(2, kit.Manager.Status("carrier")!.ActiveCalls);

        a.Dispose();
        Assert.Equal(1, kit.Manager.Status("carrier")!.ActiveCalls);
        using var c = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(c);
        b.Dispose();
    }

    [Fact]
    public async Task Disposing_a_lease_twice_frees_one_slot()
    {
        await using var kit = Kit(concurrent: 2);
        var a = kit.Manager.TryAcquire("carrier", out _)!;
        var b = kit.Manager.TryAcquire("carrier", out _)!;
        a.Dispose();
        a.Dispose();
        Assert.Equal(1, kit.Manager.Status("carrier")!.ActiveCalls);
        using var c = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(c);
        Assert.Null(kit.Manager.TryAcquire("carrier", out _)); // b and c hold both slots
        b.Dispose();
    }

    [Fact]
    public async Task Per_minute_limit_counts_new_calls_in_a_sliding_minute()
    {
        await using var kit = Kit(perMinute: 3);
        for (var i = 0; i < 3; i++)
        {
            kit.Manager.TryAcquire("carrier", out _)!.Dispose(); // short calls: the concurrent count stays low
            kit.Advance(10);
        }
        Assert.Null(kit.Manager.TryAcquire("carrier", out var refusal));
        Assert.Contains("3 calls started in the last minute, the limit is 3", refusal);
        Assert.Equal(3, kit.Manager.Status("carrier")!.CallsLastMinute);
        // The first call (at 0 s) leaves the window at 60 s.
        kit.Advance(29.9);
        Assert.Null(kit.Manager.TryAcquire("carrier", out _));
        kit.Advance(0.1);
        using var lease = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(lease);
    }

    [Fact]
    public async Task Refused_attempts_do_not_use_up_the_per_minute_budget()
    {
        await using var kit = Kit(concurrent: 1, perMinute: 2);
        var a = kit.Manager.TryAcquire("carrier", out _)!;
        for (var i = 0; i < 5; i++) Assert.Null(kit.Manager.TryAcquire("carrier", out _));
        a.Dispose();
        using var b = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(b);
        Assert.Equal(2, kit.Manager.Status("carrier")!.CallsLastMinute);
    }

    [Fact]
    public async Task Limits_edited_in_the_store_apply_to_the_next_call()
    {
        await using var kit = Kit(concurrent: 1);
        using var a = kit.Manager.TryAcquire("carrier", out _);
        Assert.Null(kit.Manager.TryAcquire("carrier", out _));
        kit.Trunks.Save(kit.Trunks.Find("carrier")! with { MaxConcurrentCalls = 2 });
        using var b = kit.Manager.TryAcquire("carrier", out _);
        Assert.NotNull(b);
    }

    [Fact]
    public async Task Unknown_and_disabled_trunks_are_refused()
    {
        await using var kit = Kit();
        Assert.Null(kit.Manager.TryAcquire("nowhere", out var refusal));
        Assert.Contains("no trunk", refusal);
        kit.Trunks.Save(kit.Trunks.Find("carrier")! with { Enabled = false });
        Assert.Null(kit.Manager.TryAcquire("carrier", out refusal));
        Assert.Contains("disabled", refusal);
    }

    [Fact]
    public async Task Lease_carries_the_trunks_address_uris_credentials_and_recording()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1(t => t with
        {
            Register = false, Port = 5080, Transport = SipTransportKind.Tcp, Record = true, AuthUsername = "auth-7",
        }));
        kit.Manager.Start();
        using var lease = kit.Manager.TryAcquire("carrier", out _)!;
        Assert.Equal("carrier", lease.Trunk);
        Assert.Equal(new SipEndPoint(SipTransportKind.Tcp, new IPEndPoint(TrunkTestKit.Carrier, 5080)), lease.Destination);
        Assert.Equal("sip:+8613800138000@203.0.113.10:5080;transport=tcp", lease.RequestUri("+8613800138000"));
        Assert.Equal("sip:%2399@203.0.113.10:5080;transport=tcp", lease.RequestUri("#99"));
        Assert.Equal("\"Hotline \\\"12345\\\"\" <sip:01066668888@203.0.113.10:5080>", lease.From("01066668888", "Hotline \"12345\""));
        Assert.Equal("<sip:01066668888@203.0.113.10:5080>", lease.From("01066668888", null));
        Assert.True(lease.Record);
        Assert.NotNull(lease.Credentials);

        // The credentials answer a challenge with the stored password.
        var invite = TrunkTestKit.Invite(IPAddress.Loopback);
        var challenge = Hotline.Switch.Sip.SipResponses.Start(invite, 407, toTag: "t")
            .Header(HeaderId.ProxyAuthenticate, "Digest realm=\"carrier\", nonce=\"abc\"").NoBody().ToMessage();
        var (header, value) = lease.Credentials!.Answer(challenge, "INVITE", "sip:13800138000@203.0.113.10:5080")!.Value;
        Assert.Equal(HeaderId.ProxyAuthorization, header);
        var ha1 = Hotline.Switch.Auth.DigestHash.Hex(Hotline.Switch.Auth.DigestAlgorithm.Md5, "auth-7:carrier:trunk-secret");
        var ha2 = Hotline.Switch.Auth.DigestHash.Hex(Hotline.Switch.Auth.DigestAlgorithm.Md5, "INVITE:sip:13800138000@203.0.113.10:5080");
        Assert.Contains($"response=\"{Hotline.Switch.Auth.DigestHash.Hex(Hotline.Switch.Auth.DigestAlgorithm.Md5, $"{ha1}:abc:{ha2}")}\"", value);
    }

    [Fact]
    public async Task Domain_names_the_trunk_in_uris()
    {
        await using var kit = new TrunkTestKit();
        kit.Trunks.Save(TrunkTestKit.Carrier1(t => t with { Register = false, Domain = "ims.carrier.example", Password = "" }));
        kit.Manager.Start();
        using var lease = kit.Manager.TryAcquire("carrier", out _)!;
        Assert.Equal("sip:13800138000@ims.carrier.example", lease.RequestUri("13800138000"));
        Assert.Null(lease.Credentials); // no password, nothing to answer with
        Assert.False(lease.Record);
    }
}
