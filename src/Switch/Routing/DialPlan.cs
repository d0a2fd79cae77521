using Hotline.Switch.Accounts;
using Hotline.Switch.Trunks;

namespace Hotline.Switch.Routing;

/// <summary>
/// Decides where a call goes (<see cref="ICallRouter"/>). From a local phone: a local extension, a
/// feature code (*…), or out through the first outbound route whose prefix matches, if the caller's
/// class permits the number's class. From a trunk: the inbound route of the DID called; a trunk's
/// call never reaches the outbound routes by itself (no transit: that is how PBXs get used for toll
/// fraud). Routes, trunks and extensions are read from the store on every call, so edits apply to
/// the next call.
/// <para>
/// Recording is the OR of every party's wish: the calling and called extensions, the route, and the
/// trunk the call arrived on. Nobody can switch off a recording someone else requires (a hotline's
/// duty to record outranks one party's preference). For outbound calls the trunk's own flag comes
/// with the lease (<see cref="ITrunkLease.Record"/>): call control records when
/// <see cref="RouteDecision.Record"/> or the lease it used says so.
/// </para>
/// </summary>
public sealed class DialPlan : ICallRouter
{
    private readonly IExtensionRepository _extensions;
    private readonly IRouteRepository _routes;
    private readonly ITrunkRepository _trunks;

    public DialPlan(IExtensionRepository extensions, IRouteRepository routes, ITrunkRepository trunks, NumberingPlan numbering)
    {
        _extensions = extensions;
        _routes = routes;
        _trunks = trunks;
        Numbering = numbering;
    }

    public NumberingPlan Numbering { get; }

    public RouteDecision Route(RoutingRequest request)
    {
        var dialled = NumberingPlan.Clean(request.Dialled);
        if (dialled.Length == 0) return Reject(404, "nothing dialled");
        return request.Trunk is null ? FromPhone(request, dialled) : FromTrunk(request, dialled);
    }

    private RouteDecision FromPhone(RoutingRequest request, string dialled)
    {
        var caller = request.CallerExtension is null ? null : _extensions.Find(request.CallerExtension);
        var callerRecords = caller?.Record ?? false;
        if (dialled[0] == '*') return new RouteDecision(new RouteTarget(RouteTargetKind.Feature, dialled), [], callerRecords);
        if (_extensions.Find(dialled) is { } callee)
        {
            if (!callee.Enabled) return Reject(404, $"extension {dialled} is disabled");
            return new RouteDecision(new RouteTarget(RouteTargetKind.Extension, callee.Number), [], callerRecords || callee.Record);
        }
        // A service number (an IVR hotline, a queue, a mailbox, a conference room) is reachable from
        // phones by dialling its DID, exactly as citizens reach it from outside.
        if (_routes.InboundRoutes().FirstOrDefault(r => r.Enabled && r.Did == dialled
                && r.Target is RouteTargetKind.Ivr or RouteTargetKind.Queue or RouteTargetKind.Voicemail or RouteTargetKind.Conference) is { } service)
            return new RouteDecision(new RouteTarget(service.Target, service.Value), [], callerRecords || service.Record);
        // A caller we can't place (not an extension, not a trunk) gets the narrowest class: emergency calls only.
        // A call the switch places itself dials what an administrator or agent configured, like a DID forwarded out.
        NumberClass? permitted = request.Originated ? null
            : caller is not null && NumberClasses.TryParseOutbound(caller.OutboundClass, out var c) ? c : NumberClass.Internal;
        return Outbound(request, dialled, permitted, callerRecords, who: caller is null ? "an unknown caller" : $"extension {caller.Number}");
    }

    /// <summary>
    /// Dials <paramref name="dialled"/> through the outbound routes. <paramref name="permitted"/> null
    /// skips the permission check (a destination the administrator configured, such as a DID forwarded
    /// to a mobile).
    /// </summary>
    private RouteDecision Outbound(RoutingRequest request, string dialled, NumberClass? permitted, bool record, string who)
    {
        var route = _routes.OutboundRoutes().FirstOrDefault(r => r.Enabled && r.Matches(dialled));
        if (route is null) return Reject(404, $"no route for {dialled}");
        var number = Numbering.Parse(route.Manipulate(dialled));
        if (!number.IsKnown) return Reject(404, $"{number.Dialled} (route {route.Name}) is not a number the numbering plan knows");
        if (permitted is { } p && !p.Permits(number.Class))
            return Reject(403, $"{who} (class {p.Name()}) may not call {number.Class.Name()} number {number.National}");
        var attempts = new List<TrunkAttempt>(route.Trunks.Count);
        foreach (var name in route.Trunks)
        {
            if (_trunks.Find(name) is not { Enabled: true } trunk) continue;
            attempts.Add(new TrunkAttempt(trunk.Name, number.Format(trunk.DialFormat), CallerId(trunk, request)));
        }
        if (attempts.Count == 0) return Reject(503, $"route {route.Name} has no enabled trunk");
        return new RouteDecision(new RouteTarget(RouteTargetKind.External, number.Normalised), attempts, record || route.Record);
    }

    /// <summary>
    /// Caller ID per the trunk's presentation rules: the caller's own number when the trunk passes it
    /// and it is a public number (not an extension), else the trunk's configured number, else its
    /// account name; written in the trunk's caller-ID format when the numbering plan knows it.
    /// </summary>
    private string CallerId(Trunk trunk, RoutingRequest request)
    {
        var own = NumberingPlan.Clean(request.CallerNumber);
        string chosen;
        if (trunk.PassCallerNumber && own.Length > 0 && request.CallerExtension != own && _extensions.Find(own) is null
            && Numbering.Parse(own) is { IsKnown: true, Kind: not (NumberKind.Emergency or NumberKind.Service) })
            chosen = own;
        else chosen = trunk.CallerId ?? trunk.Username ?? own;
        var parsed = Numbering.Parse(chosen);
        return parsed.IsKnown ? parsed.Format(trunk.CallerIdFormat) : chosen;
    }

    private RouteDecision FromTrunk(RoutingRequest request, string dialled)
    {
        var trunk = _trunks.Find(request.Trunk!);
        var trunkRecords = trunk?.Record ?? false;
        var route = FindDid(dialled, request.Trunk!);
        if (route is null) return Reject(404, $"no inbound route for DID {dialled}");
        var caller = route.CallerFormat is { } format && Numbering.Parse(request.CallerNumber) is { IsKnown: true } parsed
            ? parsed.Format(format) : null;
        var record = trunkRecords || route.Record;
        switch (route.Target)
        {
            case RouteTargetKind.Reject:
                return Reject(int.TryParse(route.Value, out var status) ? status : 403, $"DID {route.Did} is refused") with { CallerNumber = caller };
            case RouteTargetKind.Extension:
                var callee = _extensions.Find(route.Value);
                if (callee is not { Enabled: true }) return Reject(404, $"DID {route.Did} leads to extension {route.Value}, which is missing or disabled");
                return new RouteDecision(new RouteTarget(RouteTargetKind.Extension, callee.Number), [], record || callee.Record, CallerNumber: caller);
            case RouteTargetKind.External:
                var forwarded = Outbound(request, NumberingPlan.Clean(route.Value), permitted: null, record, who: $"DID {route.Did}");
                return forwarded with { CallerNumber = caller };
            default:
                return new RouteDecision(new RouteTarget(route.Target, route.Value), [], record, CallerNumber: caller);
        }
    }

    /// <summary>The DID's route: exact match, then the same number written another way (+86…, 0…), then the catch-all "*".</summary>
    private InboundRoute? FindDid(string dialled, string trunk)
    {
        var routes = _routes.InboundRoutes();
        bool Usable(InboundRoute r) => r.Enabled && (r.Trunk is null || r.Trunk == trunk);
        var exact = routes.FirstOrDefault(r => Usable(r) && r.Did == dialled);
        if (exact is not null) return exact;
        var number = Numbering.Parse(dialled);
        if (number.IsKnown)
        {
            var same = routes.FirstOrDefault(r => Usable(r) && r.Did != InboundRoute.AnyDid && Numbering.Parse(r.Did) is { IsKnown: true } d
                && d.Normalised == number.Normalised);
            if (same is not null) return same;
        }
        return routes.FirstOrDefault(r => Usable(r) && r.Did == InboundRoute.AnyDid);
    }

    private static RouteDecision Reject(int status, string reason) =>
        new(new RouteTarget(RouteTargetKind.Reject, status.ToString(System.Globalization.CultureInfo.InvariantCulture)), [], false, status, reason);
}
