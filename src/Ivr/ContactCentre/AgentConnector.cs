using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <summary>Rings the agents of an offer from a caller's channel and connects whoever answers.</summary>
public interface IAgentConnector
{
    /// <param name="attempt">How many offers this caller has had before (0 for the first).</param>
    Task<ConnectResult> ConnectAsync(ICallChannel call, IReadOnlyList<AgentRing> agents, int attempt, ConnectOptions options, CancellationToken ct);
}

/// <summary>
/// Connects through <see cref="ICallChannel.ConnectAsync"/>, which rings one destination. A ring-all offer
/// needs the phones rung together; until the channel can fork to several targets, this rings one of
/// them per offer, moving along the offer's agents from one attempt to the next so each gets a turn.
/// </summary>
public sealed class ChannelAgentConnector : IAgentConnector
{
    public Task<ConnectResult> ConnectAsync(ICallChannel call, IReadOnlyList<AgentRing> agents, int attempt, ConnectOptions options, CancellationToken ct)
    {
        var agent = agents[attempt % agents.Count];
        return call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, agent.Phone), options, ct);
    }
}
