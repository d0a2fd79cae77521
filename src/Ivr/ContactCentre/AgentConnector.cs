using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <summary>Rings the agents of an offer from a caller's channel and connects whoever answers.</summary>
public interface IAgentConnector
{
    /// <summary>
    /// Which of the offered agents this connector will ring for this attempt (all of them when it can ring
    /// phones together). The others are released at once, so no agent stays reserved without a ringing phone.
    /// </summary>
    /// <param name="attempt">How many offers this caller has had before (0 for the first).</param>
    IReadOnlyList<AgentRing> Choose(IReadOnlyList<AgentRing> offered, int attempt);

    /// <summary>Rings <paramref name="agents"/> (as chosen) and connects the caller to the first to answer.</summary>
    Task<ConnectResult> ConnectAsync(ICallChannel call, IReadOnlyList<AgentRing> agents, ConnectOptions options, CancellationToken ct);
}

/// <summary>
/// Connects through <see cref="ICallChannel.ConnectAsync"/>, which rings one destination. A ring-all offer
/// needs the phones rung together; until the channel can fork to several targets, this rings one of
/// them per offer, moving along the offer's agents from one attempt to the next so each gets a turn.
/// </summary>
public sealed class ChannelAgentConnector : IAgentConnector
{
    public IReadOnlyList<AgentRing> Choose(IReadOnlyList<AgentRing> offered, int attempt) =>
        offered.Count == 1 ? offered : [offered[attempt % offered.Count]];

    public Task<ConnectResult> ConnectAsync(ICallChannel call, IReadOnlyList<AgentRing> agents, ConnectOptions options, CancellationToken ct) =>
        call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, agents[0].Phone), options, ct);
}

/// <summary>
/// Rings every agent of an offer together through <see cref="ICallChannel.ConnectAnyAsync"/> (the switch's
/// channel forks to them all; the first to answer wins and the rest are cancelled): real ring-all.
/// </summary>
public sealed class ParallelAgentConnector : IAgentConnector
{
    public IReadOnlyList<AgentRing> Choose(IReadOnlyList<AgentRing> offered, int attempt) => offered;

    public Task<ConnectResult> ConnectAsync(ICallChannel call, IReadOnlyList<AgentRing> agents, ConnectOptions options, CancellationToken ct) =>
        agents.Count == 1
            ? call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, agents[0].Phone), options, ct)
            : call.ConnectAnyAsync(agents.Select(a => new RouteTarget(RouteTargetKind.Extension, a.Phone)).ToList(), options, ct);
}
