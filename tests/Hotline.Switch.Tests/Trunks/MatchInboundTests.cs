using System.Net;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Trunks;

public class MatchInboundTests
{
    private static TrunkTestKit Kit()
    {
        var kit = new TrunkTestKit();
        kit.Trunks.Save(new Trunk { Name = "carrier-a", Host = "198.51.100.7", AllowedSources = ["198.51.100.7", "10.20.0.0/16"] });
        kit.Trunks.Save(new Trunk { Name = "carrier-b", Host = "2001:db8::5", AllowedSources = ["2001:db8::/32", "192.0.2.128/25"] });
        kit.Manager.Start();
        return kit;
    }

    private static string? From(TrunkTestKit kit, string address) => kit.Manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Parse(address)));

    [Theory]
    [InlineData("198.51.100.7", "carrier-a")]
    [InlineData("10.20.0.1", "carrier-a")]
    [InlineData("10.20.255.254", "carrier-a")]
    [InlineData("::ffff:10.20.3.4", "carrier-a")] // as a dual-stack socket reports IPv4 peers
    [InlineData("2001:db8:1::9", "carrier-b")]
    [InlineData("192.0.2.200", "carrier-b")]
    [InlineData("198.51.100.8", null)]
    [InlineData("10.21.0.1", null)]
    [InlineData("192.0.2.127", null)]
    [InlineData("2001:db9::1", null)]
    public async Task Matches_by_source_address_and_network(string source, string? trunk)
    {
        await using var kit = Kit();
        Assert.Equal(trunk, From(kit, source));
    }

    [Fact]
    public void Host_bits_in_a_network_are_ignored()
    {
        Assert.True(TrunkAddresses.TryParseNetwork("10.20.30.40/16", out var n));
        Assert.Equal("10.20.0.0/16", n.ToString());
        Assert.False(TrunkAddresses.TryParseNetwork("10.20.0.0/33", out _));
        Assert.False(TrunkAddresses.TryParseNetwork("carrier.example", out _));
    }

    [Fact]
    public async Task A_source_with_a_port_matches_only_that_port()
    {
        await using var kit = new TrunkTestKit();
        // The demo: the PSTN stand-in shares 127.0.0.1 with the phones; only its port speaks for the trunk.
        kit.Trunks.Save(new Trunk { Name = "pstn", Host = "127.0.0.1", Port = 5080, AllowedSources = ["127.0.0.1:5080", "[2001:db8::7]:5060"] });
        kit.Manager.Start();
        Assert.Equal("pstn", kit.Manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Loopback, port: 5080)));
        Assert.Null(kit.Manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Loopback, port: 5062)));
        Assert.Equal("pstn", kit.Manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Parse("2001:db8::7"), port: 5060)));
        Assert.Null(kit.Manager.MatchInbound(TrunkTestKit.Invite(IPAddress.Parse("2001:db8::7"), port: 5061)));
    }

    [Theory]
    [InlineData("127.0.0.1:5080", true)]
    [InlineData("[::1]:5060", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("127.0.0.1:0", false)]
    [InlineData("127.0.0.1:70000", false)]
    [InlineData("10.0.0.0/8:5060", false)]
    [InlineData("pstn.example:5060", false)]
    public void Allowed_source_syntax(string text, bool valid) =>
        Assert.Equal(valid, TrunkAddresses.TryParseSource(text, out _, out _));

    [Fact]
    public async Task Store_edits_change_who_matches_at_once()
    {
        await using var kit = Kit();
        Assert.Null(From(kit, "203.0.113.50"));
        kit.Trunks.Save(kit.Trunks.Find("carrier-a")! with { AllowedSources = ["203.0.113.48/29"] });
        Assert.Equal("carrier-a", From(kit, "203.0.113.50"));
        Assert.Null(From(kit, "198.51.100.7"));

        kit.Trunks.Save(kit.Trunks.Find("carrier-a")! with { Enabled = false });
        Assert.Null(From(kit, "203.0.113.50"));

        Assert.True(kit.Trunks.Delete("carrier-b"));
        Assert.Null(From(kit, "192.0.2.200"));
    }

    [Fact]
    public async Task A_request_without_a_source_matches_nothing()
    {
        await using var kit = Kit();
        var m = TrunkTestKit.Invite(IPAddress.Parse("198.51.100.7"));
        m.Source = null;
        Assert.Null(kit.Manager.MatchInbound(m));
    }
}
