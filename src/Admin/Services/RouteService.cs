using Hotline.Admin.Audit;
using Hotline.Switch.Accounts;
using Hotline.Switch.Routing;
using Hotline.Switch.Trunks;

namespace Hotline.Admin.Services;

/// <summary>
/// The dial plan's routes through the panel and the API: outbound routes (prefix → trunks, tried in order)
/// and inbound routes (DID → destination). Validated by the routes' own rules plus references (trunks and
/// extensions must exist), audited, applied on the next call.
/// </summary>
public sealed class RouteService(IRouteRepository routes, ITrunkRepository trunks, IExtensionRepository extensions, AuditLog audit)
{
    public IReadOnlyList<OutboundRoute> Outbound() => routes.OutboundRoutes();

    public IReadOnlyList<InboundRoute> Inbound() => routes.InboundRoutes();

    public Outcome<OutboundRoute> SaveOutbound(OutboundRoute input, bool creating, Actor actor)
    {
        var wanted = input with { Name = input.Name?.Trim() ?? "", Prefix = input.Prefix ?? "", Prepend = input.Prepend ?? "", Trunks = input.Trunks ?? [], Source = "admin" };
        var errors = ProblemFields.Parse(wanted.Problems("route"));
        var missing = wanted.Trunks.Where(t => !string.IsNullOrWhiteSpace(t) && trunks.Find(t) is null).ToList();
        if (missing.Count > 0 && !errors.ContainsKey("Trunks")) errors["Trunks"] = [$"no trunk named {string.Join(", ", missing)}"];
        if (errors.Count > 0) return Outcome<OutboundRoute>.Invalid(errors);
        var existing = routes.FindOutbound(wanted.Name);
        if (creating && existing is not null) return Outcome<OutboundRoute>.Invalid("Name", $"route '{wanted.Name}' already exists");
        if (!creating && existing is null) return Outcome<OutboundRoute>.NotFound();
        try
        {
            routes.SaveOutbound(wanted);
        }
        catch (ArgumentException e)
        {
            return Outcome<OutboundRoute>.Invalid(ProblemFields.Parse([e.Message]));
        }
        audit.Write(actor.Name, creating ? "route.outbound.create" : "route.outbound.update", wanted.Name,
            AuditLog.Diff(existing is null ? new Dictionary<string, string?>() : Describe(existing), Describe(wanted)), actor.Address);
        return routes.FindOutbound(wanted.Name)!;
    }

    public Outcome<OutboundRoute> DeleteOutbound(string name, Actor actor)
    {
        var existing = routes.FindOutbound(name);
        if (existing is null) return Outcome<OutboundRoute>.NotFound();
        routes.DeleteOutbound(name);
        audit.Write(actor.Name, "route.outbound.delete", name, AuditLog.Diff(Describe(existing), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    public Outcome<InboundRoute> SaveInbound(InboundRoute input, bool creating, Actor actor)
    {
        var wanted = input with { Did = input.Did?.Trim() ?? "", Value = input.Value?.Trim() ?? "", Trunk = string.IsNullOrWhiteSpace(input.Trunk) ? null : input.Trunk.Trim(), Source = "admin" };
        var errors = ProblemFields.Parse(wanted.Problems("route"), "Did");
        if (wanted.Trunk is { } t && trunks.Find(t) is null && !errors.ContainsKey("Trunk")) errors["Trunk"] = [$"no trunk named {t}"];
        if (wanted.Target == RouteTargetKind.Extension && wanted.Value.Length > 0 && extensions.Find(wanted.Value) is null && !errors.ContainsKey("Value"))
            errors["Value"] = [$"no extension {wanted.Value}"];
        if (errors.Count > 0) return Outcome<InboundRoute>.Invalid(errors);
        var existing = routes.FindInbound(wanted.Did);
        if (creating && existing is not null) return Outcome<InboundRoute>.Invalid("Did", $"DID {wanted.Did} already has a route");
        if (!creating && existing is null) return Outcome<InboundRoute>.NotFound();
        try
        {
            routes.SaveInbound(wanted);
        }
        catch (ArgumentException e)
        {
            return Outcome<InboundRoute>.Invalid(ProblemFields.Parse([e.Message], "Did"));
        }
        audit.Write(actor.Name, creating ? "route.inbound.create" : "route.inbound.update", wanted.Did,
            AuditLog.Diff(existing is null ? new Dictionary<string, string?>() : Describe(existing), Describe(wanted)), actor.Address);
        return routes.FindInbound(wanted.Did)!;
    }

    public Outcome<InboundRoute> DeleteInbound(string did, Actor actor)
    {
        var existing = routes.FindInbound(did);
        if (existing is null) return Outcome<InboundRoute>.NotFound();
        routes.DeleteInbound(did);
        audit.Write(actor.Name, "route.inbound.delete", did, AuditLog.Diff(Describe(existing), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    private static Dictionary<string, string?> Describe(OutboundRoute r) => new()
    {
        ["Order"] = r.Order.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Prefix"] = r.Prefix, ["Strip"] = r.Strip.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Prepend"] = r.Prepend, ["Trunks"] = string.Join(",", r.Trunks), ["Record"] = r.Record ? "true" : "false", ["Enabled"] = r.Enabled ? "true" : "false",
    };

    private static Dictionary<string, string?> Describe(InboundRoute r) => new()
    {
        ["Trunk"] = r.Trunk, ["Target"] = r.Target.ToString(), ["Value"] = r.Value, ["Record"] = r.Record ? "true" : "false", ["Enabled"] = r.Enabled ? "true" : "false",
    };
}
