namespace Hotline.Ivr.Flows;

/// <summary>
/// A call flow: named nodes, one of which is the start. Read from a JSON document (see flow.schema.json)
/// by <see cref="FlowReader"/>; immutable, so one parsed flow serves every call that runs it.
/// </summary>
public sealed class FlowDefinition
{
    public const int DefaultMaxSteps = 200;
    public const int MaxStepsLimit = 10_000;

    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";
    public required string Start { get; init; }
    /// <summary>Nodes a call may pass through before the flow is abandoned (a flow must not loop forever).</summary>
    public int MaxSteps { get; init; } = DefaultMaxSteps;
    public required IReadOnlyDictionary<string, FlowNode> Nodes { get; init; }

    /// <summary>Every prompt name the flow plays, for checks and for listing what a flow needs recorded.</summary>
    public IEnumerable<string> Prompts => Nodes.Values.SelectMany(n => n.PromptNames).Distinct(StringComparer.Ordinal);
}
