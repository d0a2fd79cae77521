namespace Hotline.Ivr.Flows;

/// <summary>What a check of a flow document found: errors refuse it, warnings are shown but allow saving.</summary>
public sealed record FlowCheck(FlowDefinition? Flow, IReadOnlyList<FlowError> Errors, IReadOnlyList<FlowError> Warnings)
{
    public bool Valid => Errors.Count == 0 && Flow is not null;
}

/// <summary>What a flow refers to outside itself, so saving can warn about a missing prompt, schedule or mailbox.</summary>
public interface IFlowReferences
{
    bool PromptExists(string name);
    bool ScheduleExists(string id);
    bool FlowExists(string id);
    bool MailboxExists(string id);
}

/// <summary>
/// Checks a parsed flow as a whole: the start and every exit name existing nodes (errors), and nothing is
/// unreachable or missing outside the flow (warnings: a prompt may be recorded after the flow is saved).
/// </summary>
public static class FlowValidator
{
    public static FlowCheck Check(string json, IFlowReferences? references = null)
    {
        var flow = FlowReader.Read(json, out var errors);
        if (flow is null) return new FlowCheck(null, errors, []);
        var (semantic, warnings) = Check(flow, references);
        return new FlowCheck(semantic.Count == 0 ? flow : null, semantic, warnings);
    }

    public static (IReadOnlyList<FlowError> Errors, IReadOnlyList<FlowError> Warnings) Check(FlowDefinition flow, IFlowReferences? references)
    {
        var errors = new List<FlowError>();
        var warnings = new List<FlowError>();
        if (!flow.Nodes.ContainsKey(flow.Start)) errors.Add(new FlowError(null, "start", $"names no node: '{flow.Start}'"));
        foreach (var node in flow.Nodes.Values)
        {
            foreach (var (field, target) in node.Exits)
            {
                if (target is not null && !flow.Nodes.ContainsKey(target)) errors.Add(new FlowError(node.Id, field, $"names no node: '{target}'"));
                if (target == node.Id && node is PlayNode or SetNode or BlacklistNode or TimeSwitchNode or BranchNode)
                    errors.Add(new FlowError(node.Id, field, "leads back to the same node without waiting for the caller"));
            }
            if (node is MenuNode menu && menu.Options.Count == 0) errors.Add(new FlowError(node.Id, "options", "needs at least one key"));
            if (node is TransferNode { Target: TransferKind.Flow } t && t.Value == flow.Id) errors.Add(new FlowError(node.Id, "value", "a flow cannot transfer to itself; go to its start node instead"));
            if (references is null) continue;
            foreach (var prompt in node.PromptNames)
            {
                if (!references.PromptExists(prompt)) warnings.Add(new FlowError(node.Id, "prompts", $"no recording for prompt '{prompt}' yet"));
            }
            switch (node)
            {
                case TimeSwitchNode ts when !references.ScheduleExists(ts.Schedule):
                    warnings.Add(new FlowError(node.Id, "schedule", $"no schedule '{ts.Schedule}'"));
                    break;
                case TransferNode { Target: TransferKind.Flow } tf when !tf.Value.Contains("${", StringComparison.Ordinal) && !references.FlowExists(tf.Value):
                    warnings.Add(new FlowError(node.Id, "value", $"no flow '{tf.Value}'"));
                    break;
                case VoicemailNode vm when !vm.Mailbox.Contains("${", StringComparison.Ordinal) && !references.MailboxExists(vm.Mailbox):
                    warnings.Add(new FlowError(node.Id, "mailbox", $"no mailbox '{vm.Mailbox}'"));
                    break;
            }
        }
        if (errors.Count == 0)
        {
            var reached = Reachable(flow);
            foreach (var id in flow.Nodes.Keys.Where(id => !reached.Contains(id)).Order(StringComparer.Ordinal))
                warnings.Add(new FlowError(id, "(node)", "cannot be reached from the start"));
        }
        return (errors, warnings);
    }

    private static HashSet<string> Reachable(FlowDefinition flow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { flow.Start };
        var todo = new Stack<string>([flow.Start]);
        while (todo.TryPop(out var id))
        {
            foreach (var (_, target) in flow.Nodes[id].Exits)
            {
                if (target is not null && seen.Add(target)) todo.Push(target);
            }
        }
        return seen;
    }
}
