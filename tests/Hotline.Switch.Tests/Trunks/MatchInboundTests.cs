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
    public async Task Host_bits_in_a_network_are_ignored()
    {
        Assert.True(TrunkAddresses.TryParseNetwork("10.20.30.40/16", out var n));
        Assert.Equal("10.20.0.0/16", n.ToString());
        Assert.False(TrunkAddresses.TryParseNetwork("10.20.0.0/33", out _));
        Assert.False(TrunkAddresses.TryParseNetwork("carrier.example", out _));
        await Task.CompletedTask;
    }

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
