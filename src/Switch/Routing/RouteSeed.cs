using Hotline.Switch.Trunks;

namespace Hotline.Switch.Routing;

/// <summary>An outbound route as written in the configuration file (section "OutboundRoutes").</summary>
public sealed class OutboundRouteConfig
{
    public string Name { get; set; } = "";
    /// <summary>Position among the routes; the position in the file when left out.</summary>
    public int? Order { get; set; }
    public string Prefix { get; set; } = "";
    public int Strip { get; set; }
    public string Prepend { get; set; } = "";
    public List<string> Trunks { get; set; } = [];
    public bool Record { get; set; }
    public bool Enabled { get; set; } = true;
}

/// <summary>An inbound route as written in the configuration file (section "InboundRoutes").</summary>
public sealed class InboundRouteConfig
{
    public string Did { get; set; } = "";
    public string? Trunk { get; set; }
    public string Target { get; set; } = "Extension";
    public string Value { get; set; } = "";
    public string? CallerFormat { get; set; }
    public bool Record { get; set; }
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Puts the configuration file's routes into the store (after the trunks: routes must name existing
/// trunks). Routes changed through the API since (Source "admin") are left alone.
/// </summary>
public static class RouteSeed
{
    public static int Apply(IRouteRepository routes, ITrunkRepository trunks, IEnumerable<OutboundRouteConfig> outbound, IEnumerable<InboundRouteConfig> inbound)
    {
        var wantedOut = new List<OutboundRoute>();
        var index = 0;
        foreach (var c in outbound)
        {
            var where = $"OutboundRoutes:{index}";
            var route = new OutboundRoute
            {
                Name = c.Name, Order = c.Order ?? index, Prefix = c.Prefix ?? "", Strip = c.Strip, Prepend = c.Prepend ?? "",
                Trunks = c.Trunks.ToArray(), Record = c.Record, Enabled = c.Enabled, Source = "config",
            };
            Throw(route.Problems(where));
            for (var i = 0; i < route.Trunks.Count; i++)
            {
                if (trunks.Find(route.Trunks[i]) is null) throw new InvalidOperationException($"{where}:Trunks:{i} '{route.Trunks[i]}' is not a trunk");
            }
            if (wantedOut.Exists(r => r.Name == route.Name)) throw new InvalidOperationException($"{where}:Name '{route.Name}' is used twice");
            wantedOut.Add(route);
            index++;
        }
        var wantedIn = new List<InboundRoute>();
        index = 0;
        foreach (var c in inbound)
        {
            var where = $"InboundRoutes:{index++}";
            if (!Enum.TryParse<RouteTargetKind>(c.Target, ignoreCase: true, out var target) || !Enum.IsDefined(target))
                throw new InvalidOperationException($"{where}:Target '{c.Target}' must be Extension, External, Ivr, Queue, Voicemail, Conference or Reject");
            var route = new InboundRoute
            {
                Did = c.Did, Trunk = string.IsNullOrWhiteSpace(c.Trunk) ? null : c.Trunk, Target = target, Value = c.Value,
                CallerFormat = c.CallerFormat is null ? null : TrunkSeed.ParseFormat(c.CallerFormat, $"{where}:CallerFormat"),
                Record = c.Record, Enabled = c.Enabled, Source = "config",
            };
            Throw(route.Problems(where));
            if (route.Trunk is not null && trunks.Find(route.Trunk) is null) throw new InvalidOperationException($"{where}:Trunk '{route.Trunk}' is not a trunk");
            if (wantedIn.Exists(r => r.Did == route.Did)) throw new InvalidOperationException($"{where}:Did '{route.Did}' is used twice");
            wantedIn.Add(route);
        }

        var changed = 0;
        foreach (var route in wantedOut)
        {
            var existing = routes.FindOutbound(route.Name);
            if (existing is not null && (existing.Source != "config" || Same(existing, route))) continue;
            routes.SaveOutbound(route);
            changed++;
        }
        foreach (var route in wantedIn)
        {
            var existing = routes.FindInbound(route.Did);
            if (existing is not null && (existing.Source != "config" || existing == route)) continue;
            routes.SaveInbound(route);
            changed++;
        }
        return changed;
    }

    private static bool Same(OutboundRoute a, OutboundRoute b) =>
        a with { Trunks = [] } == b with { Trunks = [] } && a.Trunks.SequenceEqual(b.Trunks);

    private static void Throw(IEnumerable<string> problems)
    {
        var first = problems.FirstOrDefault();
        if (first is not null) throw new InvalidOperationException(first);
    }
}
