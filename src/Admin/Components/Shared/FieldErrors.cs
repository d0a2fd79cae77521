namespace Hotline.Admin.Components.Shared;

/// <summary>Validation messages by field name, as services return them, for MudBlazor's Error/ErrorText.</summary>
public sealed class FieldErrors
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public bool Any => _errors.Count > 0;

    public void Set(IReadOnlyDictionary<string, string[]>? errors) => _errors = errors ?? new Dictionary<string, string[]>();

    public void Clear() => _errors = new Dictionary<string, string[]>();

    public bool Has(string field) => _errors.ContainsKey(field);

    /// <summary>"Field: message" so the message names the field even where it is shown apart from it.</summary>
    public string Text(string field, string label) => _errors.TryGetValue(field, out var m) ? $"{label}: {string.Join("; ", m)}" : "";

    public IEnumerable<string> All(Func<string, string> label) => _errors.Select(e => $"{label(e.Key)}: {string.Join("; ", e.Value)}");
}
