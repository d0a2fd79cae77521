using Hotline.Switch.Accounts;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Tests.Routing;

/// <summary>
/// A dial plan over an in-memory store: Beijing numbering, five extensions of every class, two
/// trunks and a few routes.
/// </summary>
internal sealed class DialPlanKit : IDisposable
{
    private readonly MemoryStream _db = new();

    public HotlineStore Store { get; }
    public LiteDbExtensionRepository Extensions { get; }
    public LiteDbTrunkRepository Trunks { get; }
    public LiteDbRouteRepository Routes { get; }
    public DialPlan Plan { get; }

    public DialPlanKit()
    {
        Store = new HotlineStore(_db, "/tmp/hotline-test");
        Extensions = new LiteDbExtensionRepository(Store);
        ExtensionSeed.Apply(Extensions, [
            new ExtensionConfig { Number = "1001", Name = "National", Password = "secret1001", OutboundClass = "national", Record = true },
            new ExtensionConfig { Number = "1002", Name = "Internal", Password = "secret1002", OutboundClass = "internal", Record = false },
            new ExtensionConfig { Number = "1003", Name = "Local", Password = "secret1003", OutboundClass = "local", Record = false },
            new ExtensionConfig { Number = "1004", Name = "International", Password = "secret1004", OutboundClass = "international", Record = false },
            new ExtensionConfig { Number = "1006", Name = "Quiet", Password = "secret1006", OutboundClass = "national", Record = false },
        ], "hotline");
        Extensions.Save(new Extension { Number = "1005", DisplayName = "Off", Enabled = false, OutboundClass = "national" });
        Trunks = new LiteDbTrunkRepository(Store);
        Trunks.Save(new Trunk
        {
            Name = "pstn", Host = "203.0.113.10", CallerId = "01066668888", DialFormat = NumberFormat.National,
            CallerIdFormat = NumberFormat.National, Record = false,
        });
        Trunks.Save(new Trunk
        {
            Name = "backup", Host = "198.51.100.20", CallerId = "4008123123", DialFormat = NumberFormat.E164,
            CallerIdFormat = NumberFormat.E164, PassCallerNumber = true, Record = true,
        });
        Trunks.Save(new Trunk { Name = "old", Host = "192.0.2.99", Enabled = false });
        Routes = new LiteDbRouteRepository(Store);
        Routes.SaveOutbound(new OutboundRoute { Name = "out9", Order = 0, Prefix = "9", Strip = 1, Trunks = ["old", "pstn", "backup"] });
        Routes.SaveOutbound(new OutboundRoute { Name = "direct-mobile", Order = 1, Prefix = "1", Trunks = ["pstn"] });
        // Same order: the longer prefix ("00") is tried before "0".
        Routes.SaveOutbound(new OutboundRoute { Name = "national", Order = 2, Prefix = "0", Trunks = ["backup", "pstn"] });
        Routes.SaveOutbound(new OutboundRoute { Name = "international", Order = 2, Prefix = "00", Trunks = ["pstn"], Record = true });
        Routes.SaveOutbound(new OutboundRoute { Name = "beijing", Order = 3, Prefix = "8", Strip = 1, Prepend = "010", Trunks = ["pstn"] });
        Routes.SaveInbound(new InboundRoute { Did = "12345", Target = RouteTargetKind.Extension, Value = "1006" });
        Routes.SaveInbound(new InboundRoute { Did = "01066668888", Target = RouteTargetKind.Queue, Value = "citizens", CallerFormat = NumberFormat.National });
        Routes.SaveInbound(new InboundRoute { Did = "4008123123", Trunk = "backup", Target = RouteTargetKind.Ivr, Value = "main", Record = true });
        Plan = new DialPlan(Extensions, Routes, Trunks, new NumberingPlan(new NumberingOptions { LocalAreaCode = "10" }));
    }

    public RouteDecision FromPhone(string caller, string dialled) =>
        Plan.Route(new RoutingRequest(dialled, caller, null, caller, null, DateTimeOffset.UnixEpoch));

    public RouteDecision FromTrunk(string trunk, string did, string callerNumber = "13900139000") =>
        Plan.Route(new RoutingRequest(did, null, trunk, callerNumber, null, DateTimeOffset.UnixEpoch));

    public void Dispose() => Store.Dispose();
}
