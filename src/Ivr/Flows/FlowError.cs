namespace Hotline.Ivr.Flows;

/// <summary>
/// One thing wrong with a flow document: the node (null for the document itself), the field, and what
/// is wrong, so an editor can put the message beside the field.
/// </summary>
public sealed record FlowError(string? Node, string Field, string Message)
{
    public override string ToString() => Node is null ? $"field '{Field}': {Message}" : $"node '{Node}', field '{Field}': {Message}";
}

/// <summary>A flow document refused by <see cref="FlowService"/>; <see cref="Errors"/> name node and field.</summary>
public sealed class FlowValidationException(IReadOnlyList<FlowError> errors)
    : Exception("the flow is not valid: " + string.Join("; ", errors))
{
    public IReadOnlyList<FlowError> Errors { get; } = errors;
}
