using Hotline.Switch.Auth;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Routing;

/// <summary>
/// Kinds of destination a call can be routed to. IVR flows, queues, voicemail and conferences
/// arrive with later features; the dial plan can name them now.
/// </summary>
public enum RouteTargetKind { Extension, External, Ivr, Queue, Voicemail, Conference, Feature, Reject }

/// <summary>A destination: an extension number, an external number, a flow/queue/room name, a feature code.</summary>
public sealed record RouteTarget(RouteTargetKind Kind, string Value);

/// <summary>What routing decides on.</summary>
/// <param name="Dialled">The Request-URI user part, unescaped (the number dialled or the DID called).</param>
/// <param name="CallerExtension">The local extension that authenticated, or null for calls from a trunk.</param>
/// <param name="Trunk">The trunk the call arrived on, or null for calls from local phones.</param>
/// <param name="CallerNumber">The caller's number as received (P-Asserted-Identity, else From).</param>
/// <param name="Originated">A call the switch places itself (campaigns, click-to-dial): its number was configured, not dialled by a caller.</param>
public sealed record RoutingRequest(string Dialled, string? CallerExtension, string? Trunk, string CallerNumber, string? CallerName, DateTimeOffset Time,
    bool Originated = false);

/// <summary>One way to reach an external number: a trunk, the number as that trunk wants it, and the caller ID to present.</summary>
public sealed record TrunkAttempt(string Trunk, string Number, string CallerId);

/// <summary>
/// Where a call goes. For <see cref="RouteTargetKind.External"/>, <see cref="Attempts"/> lists the
/// trunks to try in order (fail-over). A refused call has <see cref="RejectStatus"/> set (e.g. 403 for a
/// number the caller's permission class may not dial, 404 for nothing matching).
/// </summary>
public sealed record RouteDecision(RouteTarget Target, IReadOnlyList<TrunkAttempt> Attempts, bool Record,
    int RejectStatus = 0, string? RejectReason = null, string? CallerNumber = null)
{
    public bool Rejected => RejectStatus != 0;
}

public interface ICallRouter
{
    RouteDecision Route(RoutingRequest request);
}

/// <summary>The trunks as call control sees them.</summary>
public interface ITrunks
{
    /// <summary>The trunk an incoming request belongs to (by source address, or by a registration we hold with it); null if none.</summary>
    string? MatchInbound(SipMessage request);

    /// <summary>Reserves one call on a trunk; null (with the reason) when it is down or over its concurrent or per-minute limit.</summary>
    ITrunkLease? TryAcquire(string trunk, out string? refusal);
}

/// <summary>One call's hold on a trunk; disposing it frees the slot.</summary>
public interface ITrunkLease : IDisposable
{
    string Trunk { get; }
    SipEndPoint Destination { get; }
    /// <summary>The Request-URI for <paramref name="number"/> at this trunk.</summary>
    string RequestUri(string number);
    /// <summary>The From header value presenting <paramref name="callerId"/> to this trunk.</summary>
    string From(string callerId, string? displayName);
    /// <summary>Credentials for the trunk's 401/407 challenges, when it wants them.</summary>
    DigestClient? Credentials { get; }
    /// <summary>Whether calls on this trunk are recorded.</summary>
    bool Record { get; }
}
