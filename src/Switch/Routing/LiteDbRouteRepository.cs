using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Routing;

/// <summary>
/// Routes in the store. Every call reads them, so the sorted lists are kept as immutable snapshots,
/// replaced whenever this node saves or deletes one.
/// </summary>
public sealed class LiteDbRouteRepository : IRouteRepository
{
    private readonly ILiteCollection<OutboundDocument> _outbound;
    private readonly ILiteCollection<InboundDocument> _inbound;
    private readonly object _gate = new();
    private IReadOnlyList<OutboundRoute>? _outboundSnapshot;
    private IReadOnlyList<InboundRoute>? _inboundSnapshot;

    public LiteDbRouteRepository(HotlineStore store)
    {
        _outbound = store.Collection<OutboundDocument>("outbound_routes");
        _inbound = store.Collection<InboundDocument>("inbound_routes");
    }

    public IReadOnlyList<OutboundRoute> OutboundRoutes()
    {
        var snapshot = Volatile.Read(ref _outboundSnapshot);
        if (snapshot is not null) return snapshot;
        lock (_gate)
        {
            return _outboundSnapshot ??= _outbound.FindAll().Select(d => d.ToRoute())
                .OrderBy(r => r.Order).ThenByDescending(r => r.Prefix.Length).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        }
    }

    public OutboundRoute? FindOutbound(string name) => OutboundRoutes().FirstOrDefault(r => r.Name == name);

    public void SaveOutbound(OutboundRoute route)
    {
        Check(route.Problems($"OutboundRoutes[{route.Name}]"));
        lock (_gate)
        {
            _outbound.Upsert(OutboundDocument.From(route));
            _outboundSnapshot = null;
        }
    }

    public bool DeleteOutbound(string name)
    {
        lock (_gate)
        {
            _outboundSnapshot = null;
            return _outbound.Delete(name);
        }
    }

    public IReadOnlyList<InboundRoute> InboundRoutes()
    {
        var snapshot = Volatile.Read(ref _inboundSnapshot);
        if (snapshot is not null) return snapshot;
        lock (_gate)
        {
            return _inboundSnapshot ??= _inbound.FindAll().Select(d => d.ToRoute()).OrderBy(r => r.Did, StringComparer.Ordinal).ToList();
        }
    }

    public InboundRoute? FindInbound(string did) => InboundRoutes().FirstOrDefault(r => r.Did == did);

    public void SaveInbound(InboundRoute route)
    {
        Check(route.Problems($"InboundRoutes[{route.Did}]"));
        lock (_gate)
        {
            _inbound.Upsert(InboundDocument.From(route));
            _inboundSnapshot = null;
        }
    }

    public bool DeleteInbound(string did)
    {
        lock (_gate)
        {
            _inboundSnapshot = null;
            return _inbound.Delete(did);
        }
    }

    private static void Check(IEnumerable<string> problems)
    {
        var list = problems.ToList();
        if (list.Count > 0) throw new ArgumentException(string.Join("; ", list));
    }

    // LiteDB's mapper stores empty strings as null (EmptyStringToNull): reading back restores them.
    private sealed class OutboundDocument
    {
        [BsonId] public string Name { get; set; } = "";
        public int Order { get; set; }
        public string Prefix { get; set; } = "";
        public int Strip { get; set; }
        public string Prepend { get; set; } = "";
        public List<string> Trunks { get; set; } = [];
        public bool Record { get; set; }
        public bool Enabled { get; set; } = true;
        public string Source { get; set; } = "admin";

        public OutboundRoute ToRoute() => new()
        {
            Name = Name, Order = Order, Prefix = Prefix ?? "", Strip = Strip, Prepend = Prepend ?? "", Trunks = (Trunks ?? []).ToArray(),
            Record = Record, Enabled = Enabled, Source = Source ?? "admin",
        };

        public static OutboundDocument From(OutboundRoute r) => new()
        {
            Name = r.Name, Order = r.Order, Prefix = r.Prefix, Strip = r.Strip, Prepend = r.Prepend, Trunks = r.Trunks.ToList(),
            Record = r.Record, Enabled = r.Enabled, Source = r.Source,
        };
    }

    private sealed class InboundDocument
    {
        [BsonId] public string Did { get; set; } = "";
        public string? Trunk { get; set; }
        public string Target { get; set; } = "";
        public string Value { get; set; } = "";
        public string? CallerFormat { get; set; }
        public bool Record { get; set; }
        public bool Enabled { get; set; } = true;
        public string Source { get; set; } = "admin";

        public InboundRoute ToRoute() => new()
        {
            Did = Did, Trunk = Trunk, Target = Enum.Parse<RouteTargetKind>(Target), Value = Value ?? "",
            CallerFormat = CallerFormat is null ? null : Enum.Parse<NumberFormat>(CallerFormat), Record = Record, Enabled = Enabled, Source = Source ?? "admin",
        };

        public static InboundDocument From(InboundRoute r) => new()
        {
            Did = r.Did, Trunk = r.Trunk, Target = r.Target.ToString(), Value = r.Value, CallerFormat = r.CallerFormat?.ToString(),
            Record = r.Record, Enabled = r.Enabled, Source = r.Source,
        };
    }
}
