using System.Globalization;
using Hotline.Ivr.Flows;

namespace Hotline.Admin.Ivr;

/// <summary>
/// One node of a flow drawn as a tree from its start: <see cref="Via"/> is the exit that leads here ("next",
/// "options.1", "onFailure" …); a node already drawn higher up appears again only as a <see cref="Reference"/>
/// leaf (a loop back to the menu, two keys to one node), so the tree stays finite.
/// </summary>
public sealed record FlowTreeNode(string Id, string Type, string Summary, string? Via, bool Reference, IReadOnlyList<FlowTreeNode> Children);

/// <summary>A flow as a tree: from the start node, then any node the start cannot reach (flagged by the validator too).</summary>
public sealed record FlowTree(string Id, string Name, string Start, FlowTreeNode Root, IReadOnlyList<FlowTreeNode> Unreachable)
{
    public static FlowTree Of(FlowDefinition flow)
    {
        var drawn = new HashSet<string>(StringComparer.Ordinal);
        var root = Draw(flow, flow.Start, null, drawn);
        var unreachable = new List<FlowTreeNode>();
        foreach (var id in flow.Nodes.Keys.Order(StringComparer.Ordinal))
        {
            if (!drawn.Contains(id)) unreachable.Add(Draw(flow, id, null, drawn));
        }
        return new FlowTree(flow.Id, flow.Name, flow.Start, root, unreachable);
    }

    private static FlowTreeNode Draw(FlowDefinition flow, string id, string? via, HashSet<string> drawn)
    {
        var node = flow.Nodes[id];
        if (!drawn.Add(id)) return new FlowTreeNode(id, node.Type, Summary(node), via, Reference: true, []);
        var children = new List<FlowTreeNode>();
        foreach (var (field, target) in node.Exits)
        {
            if (target is null || !flow.Nodes.ContainsKey(target)) continue;
            children.Add(Draw(flow, target, field, drawn));
        }
        return new FlowTreeNode(id, node.Type, Summary(node), via, Reference: false, children);
    }

    /// <summary>What the node does, in a line: its prompts, keys, destination, schedule …</summary>
    public static string Summary(FlowNode node) => node switch
    {
        PlayNode p => Prompts(p.Prompts),
        MenuNode m => $"{Prompts(m.Prompts)}; keys {string.Join(" ", m.Options.Keys.Order())}",
        CollectNode c => $"{c.Variable} ({c.MinDigits}-{c.MaxDigits} digits){(c.Pattern is null ? "" : " ~ " + c.Pattern)}",
        RecordNode r => $"{r.Variable}, at most {r.MaxSeconds.ToString(CultureInfo.InvariantCulture)} s",
        TransferNode t => $"{t.Target.ToString().ToLowerInvariant()} {t.Value}",
        VoicemailNode v => $"mailbox {v.Mailbox}",
        TimeSwitchNode s => $"schedule {s.Schedule}",
        BlacklistNode => "caller checked against the blacklist",
        SetNode s => string.Join(", ", s.Variables.Select(v => $"{v.Key} = {v.Value}")),
        BranchNode b => $"{b.Value}: {string.Join(", ", b.Cases.Select(c => $"{c.Match.ToString().ToLowerInvariant()} {c.Pattern}"))}",
        HttpLookupNode h => $"{h.Method} {h.Url}",
        HangupNode h => h.Status is { } s ? $"{Prompts(h.Prompts)} status {s}".Trim() : Prompts(h.Prompts),
        _ => "",
    };

    private static string Prompts(IReadOnlyList<string> prompts) => prompts.Count == 0 ? "" : "▶ " + string.Join(", ", prompts);
}
