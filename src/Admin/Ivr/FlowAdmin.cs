using System.Globalization;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Flows;
using Hotline.Ivr.Hotlines;
using Hotline.Switch.Routing;

namespace Hotline.Admin.Ivr;

/// <summary>A check of a flow document: errors (refused) and warnings (saved anyway), each naming node and field.</summary>
public sealed record FlowCheckView(bool Valid, string? Id, string? Name, int Nodes, IReadOnlyList<FlowError> Errors, IReadOnlyList<FlowError> Warnings);

/// <summary>A saved flow: its new version and what the check warned about.</summary>
public sealed record FlowSaved(string Id, string Name, int Version, IReadOnlyList<FlowError> Warnings);

/// <summary>
/// IVR flows through the panel and the API: documents uploaded, validated (every error naming its node and
/// field), saved as a new version (the next call runs it), downloaded as written, drawn as a tree, deleted
/// unless a hotline, a route or another flow still sends callers to them. Every change is audited.
/// </summary>
public sealed class FlowAdmin(IvrServices ivr, IRouteRepository routes, AuditLog audit)
{
    private FlowService Flows => ivr.Flows;

    public IReadOnlyList<FlowSummary> List() => Flows.List();

    public FlowRecord? Document(string id) => Flows.GetDocument(id);

    public FlowCheckView Validate(string json)
    {
        var check = Flows.Validate(json);
        return new FlowCheckView(check.Valid, check.Flow?.Id, check.Flow?.Name, check.Flow?.Nodes.Count ?? 0, check.Errors, check.Warnings);
    }

    public FlowTree? Tree(string id) => Flows.Get(id) is { } flow ? FlowTree.Of(flow) : null;

    /// <summary>
    /// Saves a document: <paramref name="id"/> null creates (the document's id must be new), otherwise replaces
    /// flow <paramref name="id"/> (which the document must name).
    /// </summary>
    public Outcome<FlowSaved> Save(string json, string? id, Actor actor)
    {
        var check = Flows.Validate(json);
        if (!check.Valid) return Outcome<FlowSaved>.Invalid(ErrorsOf(check.Errors));
        var flow = check.Flow!;
        var existing = Flows.GetDocument(flow.Id);
        if (id is null && existing is not null) return Outcome<FlowSaved>.Invalid("id", $"flow '{flow.Id}' already exists; replace it with PUT /api/flows/{flow.Id}");
        if (id is not null)
        {
            if (Flows.GetDocument(id) is null) return Outcome<FlowSaved>.NotFound();
            if (flow.Id != id) return Outcome<FlowSaved>.Invalid("id", $"the document's id '{flow.Id}' differs from '{id}'");
        }
        var before = existing is null ? new Dictionary<string, string?>() : Describe(existing, Flows.Get(flow.Id));
        var (saved, version) = Flows.Save(json);
        audit.Write(actor.Name, existing is null ? "flow.create" : "flow.update", flow.Id, AuditLog.Diff(before, Describe(flow, version)), actor.Address);
        return new FlowSaved(flow.Id, flow.Name, version, saved.Warnings);
    }

    public Outcome<FlowRecord> Delete(string id, Actor actor)
    {
        var existing = Flows.GetDocument(id);
        if (existing is null) return Outcome<FlowRecord>.NotFound();
        var users = UsersOf(id);
        if (users.Count > 0) return Outcome<FlowRecord>.Invalid("id", $"flow '{id}' is still used by {string.Join(", ", users)}");
        var before = Describe(existing, Flows.Get(id));
        Flows.Delete(id);
        audit.Write(actor.Name, "flow.delete", id, AuditLog.Diff(before, new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    /// <summary>What sends callers into flow <paramref name="id"/>: hotlines, inbound routes, other flows.</summary>
    public IReadOnlyList<string> UsersOf(string id)
    {
        var users = new List<string>();
        foreach (var h in ivr.Hotlines.List())
        {
            if (new[] { h.Work, h.Lunch, h.AfterHours, h.Holiday, h.NightService }.Any(d => d is { Kind: DestinationKind.Flow } && d.Value == id))
                users.Add($"hotline {h.Id}");
        }
        users.AddRange(routes.InboundRoutes().Where(r => r.Target == RouteTargetKind.Ivr && r.Value == id).Select(r => $"inbound route {r.Did}"));
        foreach (var f in Flows.List().Where(f => f.Id != id))
        {
            if (Flows.Get(f.Id)?.Nodes.Values.OfType<TransferNode>().Any(t => t.Target == TransferKind.Flow && t.Value == id) == true) users.Add($"flow {f.Id}");
        }
        return users;
    }

    /// <summary>Errors keyed by their path in the document: "start", "nodes.menu.options.7".</summary>
    public static Dictionary<string, string[]> ErrorsOf(IEnumerable<FlowError> errors) =>
        errors.GroupBy(e => e.Node is null ? e.Field : $"nodes.{e.Node}.{e.Field}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray(), StringComparer.Ordinal);

    private static Dictionary<string, string?> Describe(FlowDefinition flow, int version) => new()
    {
        ["Name"] = flow.Name, ["Start"] = flow.Start, ["Nodes"] = flow.Nodes.Count.ToString(CultureInfo.InvariantCulture),
        ["Version"] = version.ToString(CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string?> Describe(FlowRecord record, FlowDefinition? parsed) => new()
    {
        ["Name"] = record.Name, ["Start"] = parsed?.Start, ["Nodes"] = parsed?.Nodes.Count.ToString(CultureInfo.InvariantCulture),
        ["Version"] = record.Version.ToString(CultureInfo.InvariantCulture),
    };
}
