using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Trunks;

public sealed class TrunkStoreTests : IDisposable
{
    private readonly HotlineStore _store = new(new MemoryStream(), "/tmp/hotline-test");
    private readonly LiteDbTrunkRepository _trunks;
    private readonly LiteDbRouteRepository _routes;

    public TrunkStoreTests()
    {
        _trunks = new LiteDbTrunkRepository(_store);
        _routes = new LiteDbRouteRepository(_store);
    }

    public void Dispose() => _store.Dispose();

    private static TrunkConfig Pstn() => new()
    {
        Name = "pstn", Host = "127.0.0.1", Port = 5080, AllowedSources = ["127.0.0.1"], Username = "hotline", Password = "pstn-secret-1",
    };

    [Fact]
    public void Passwords_are_kept_but_never_handed_out()
    {
        _trunks.Save(TrunkTestKit.Carrier1());
        var found = _trunks.Find("carrier")!;
        Assert.Null(found.Password);
        Assert.True(found.HasPassword);
        Assert.All(_trunks.List(), t => Assert.Null(t.Password));
        Assert.Equal("trunk-secret", _trunks.Secret("carrier"));
        Assert.DoesNotContain("trunk-secret", TrunkTestKit.Carrier1().ToString());

        // Saving without a password keeps the stored one; an empty one clears it.
        _trunks.Save(found with { Port = 5070 });
        Assert.Equal("trunk-secret", _trunks.Secret("carrier"));
        Assert.Equal(5070, _trunks.Find("carrier")!.Port);
        _trunks.Save(found with { Password = "" });
        Assert.False(_trunks.Find("carrier")!.HasPassword);
    }

    [Fact]
    public void Everything_saved_comes_back()
    {
        var t = new Trunk
        {
            Name = "full", Enabled = false, Host = "sbc.carrier.example", Port = 5061, Transport = SipTransportKind.Tcp, Domain = "carrier.example",
            Username = "u1", AuthUsername = "a1", Password = "p", Register = true, RegisterExpires = 600, AllowedSources = ["10.0.0.0/8", "192.0.2.1"],
            CallerId = "01066668888", PassCallerNumber = true, CallerIdFormat = NumberFormat.E164, DialFormat = NumberFormat.E164NoPlus,
            MaxConcurrentCalls = 30, MaxCallsPerMinute = 10, Record = true, OptionsIntervalSeconds = 60, OptionsFailuresToDown = 4, Source = "config",
        };
        _trunks.Save(t);
        var back = new LiteDbTrunkRepository(_store).Find("full")!;
        Assert.Equal(t with { Password = null, HasPassword = true, AllowedSources = [] }, back with { AllowedSources = [] });
        Assert.Equal(t.AllowedSources, back.AllowedSources);
    }

    [Theory]
    [InlineData("Host", "Trunks[x]:Host")]
    [InlineData("Port", "Trunks[x]:Port")]
    [InlineData("Source", "Trunks[x]:AllowedSources:1")]
    [InlineData("Register", "Trunks[x]:Username")]
    [InlineData("Limit", "Trunks[x]:MaxCallsPerMinute")]
    public void Saving_a_bad_trunk_names_the_field(string what, string field)
    {
        var t = new Trunk { Name = "x", Host = "192.0.2.1" };
        t = what switch
        {
            "Host" => t with { Host = "" },
            "Port" => t with { Port = 70000 },
            "Source" => t with { AllowedSources = ["192.0.2.1", "192.0.2.0/40"] },
            "Register" => t with { Register = true },
            _ => t with { MaxCallsPerMinute = -1 },
        };
        var e = Assert.Throws<ArgumentException>(() => _trunks.Save(t));
        Assert.Contains(field, e.Message);
    }

    [Fact]
    public void Seeds_trunks_and_routes_from_configuration()
    {
        Assert.Equal(1, TrunkSeed.Apply(_trunks, [Pstn()]));
        var pstn = _trunks.Find("pstn")!;
        Assert.Equal(("127.0.0.1", 5080, "config"), (pstn.Host, pstn.Port, pstn.Source));
        Assert.Equal("pstn-secret-1", _trunks.Secret("pstn"));
        Assert.Equal(0, TrunkSeed.Apply(_trunks, [Pstn()])); // unchanged: nothing written

        var changed = RouteSeed.Apply(_routes, _trunks,
            [new OutboundRouteConfig { Name = "out", Prefix = "9", Strip = 1, Trunks = ["pstn"] }],
            [new InboundRouteConfig { Did = "12345", Target = "Extension", Value = "1001" }]);
        Assert.Equal(2, changed);
        Assert.Equal(new OutboundRoute { Name = "out", Prefix = "9", Strip = 1, Trunks = ["pstn"], Source = "config" } with { Trunks = [] },
            _routes.FindOutbound("out")! with { Trunks = [] });
        Assert.Equal(["pstn"], _routes.FindOutbound("out")!.Trunks);
        Assert.Equal(new InboundRoute { Did = "12345", Target = RouteTargetKind.Extension, Value = "1001", Source = "config" }, _routes.FindInbound("12345"));
        Assert.Equal(0, RouteSeed.Apply(_routes, _trunks,
            [new OutboundRouteConfig { Name = "out", Prefix = "9", Strip = 1, Trunks = ["pstn"] }],
            [new InboundRouteConfig { Did = "12345", Target = "Extension", Value = "1001" }]));
    }

    [Fact]
    public void Seed_leaves_what_the_panel_changed_alone_and_follows_the_file_otherwise()
    {
        TrunkSeed.Apply(_trunks, [Pstn()]);
        var changedFile = Pstn();
        changedFile.Port = 5090;
        Assert.Equal(1, TrunkSeed.Apply(_trunks, [changedFile]));
        Assert.Equal(5090, _trunks.Find("pstn")!.Port);

        _trunks.Save(_trunks.Find("pstn")! with { Port = 5099, Source = "admin" });
        Assert.Equal(0, TrunkSeed.Apply(_trunks, [Pstn()]));
        Assert.Equal(5099, _trunks.Find("pstn")!.Port);
    }

    [Theory]
    [InlineData("host", "Trunks:0:Host")]
    [InlineData("transport", "Trunks:0:Transport")]
    [InlineData("format", "Trunks:0:DialFormat")]
    [InlineData("source", "Trunks:0:AllowedSources:0")]
    [InlineData("twice", "Trunks:1:Name")]
    public void Bad_trunk_configuration_names_the_field(string what, string field)
    {
        var c = Pstn();
        var list = new List<TrunkConfig> { c };
        switch (what)
        {
            case "host": c.Host = ""; break;
            case "transport": c.Transport = "SCTP"; break;
            case "format": c.DialFormat = "local"; break;
            case "source": c.AllowedSources = ["somewhere"]; break;
            default: list.Add(Pstn()); break;
        }
        var e = Assert.Throws<InvalidOperationException>(() => TrunkSeed.Apply(_trunks, list));
        Assert.StartsWith(field, e.Message);
    }

    [Theory]
    [InlineData("trunk", "OutboundRoutes:0:Trunks:1")]
    [InlineData("prefix", "OutboundRoutes:0:Prefix")]
    [InlineData("target", "InboundRoutes:0:Target")]
    [InlineData("value", "InboundRoutes:0:Value")]
    [InlineData("reject", "InboundRoutes:0:Value")]
    [InlineData("did-trunk", "InboundRoutes:0:Trunk")]
    public void Bad_route_configuration_names_the_field(string what, string field)
    {
        TrunkSeed.Apply(_trunks, [Pstn()]);
        var outbound = new OutboundRouteConfig { Name = "out", Prefix = "9", Strip = 1, Trunks = ["pstn"] };
        var inbound = new InboundRouteConfig { Did = "12345", Target = "Extension", Value = "1001" };
        switch (what)
        {
            case "trunk": outbound.Trunks = ["pstn", "nope"]; break;
            case "prefix": outbound.Prefix = "9x"; break;
            case "target": inbound.Target = "Pager"; break;
            case "value": inbound.Value = ""; break;
            case "reject": inbound.Target = "Reject"; inbound.Value = "200"; break;
            default: inbound.Trunk = "nope"; break;
        }
        var e = Assert.Throws<InvalidOperationException>(() => RouteSeed.Apply(_routes, _trunks, [outbound], [inbound]));
        Assert.StartsWith(field, e.Message);
    }

    [Fact]
    public void Route_order_defaults_to_the_order_in_the_file()
    {
        TrunkSeed.Apply(_trunks, [Pstn()]);
        RouteSeed.Apply(_routes, _trunks, [
            new OutboundRouteConfig { Name = "b", Prefix = "0", Trunks = ["pstn"] },
            new OutboundRouteConfig { Name = "a", Prefix = "00", Trunks = ["pstn"] },
            new OutboundRouteConfig { Name = "first", Prefix = "9", Order = -5, Trunks = ["pstn"] },
        ], []);
        Assert.Equal(["first", "b", "a"], _routes.OutboundRoutes().Select(r => r.Name));
    }
}
