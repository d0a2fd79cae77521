namespace Hotline.Switch.Routing;

/// <summary>
/// The dial plan's routes in the store. Saves take effect on the next call. Saving checks the route
/// and throws <see cref="ArgumentException"/> naming the field that is wrong.
/// </summary>
public interface IRouteRepository
{
    /// <summary>Outbound routes in the order they are tried.</summary>
    IReadOnlyList<OutboundRoute> OutboundRoutes();
    OutboundRoute? FindOutbound(string name);
    void SaveOutbound(OutboundRoute route);
    bool DeleteOutbound(string name);

    /// <summary>Inbound routes by DID.</summary>
    IReadOnlyList<InboundRoute> InboundRoutes();
    InboundRoute? FindInbound(string did);
    void SaveInbound(InboundRoute route);
    bool DeleteInbound(string did);
}
