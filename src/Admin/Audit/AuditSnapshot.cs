using System.Text.Json;
using System.Text.Json.Nodes;

namespace Hotline.Admin.Audit;

/// <summary>
/// A record's top-level fields as text (nested values as compact JSON), for <see cref="AuditLog.Diff"/>: the
/// audit entry of an IVR or contact-centre change lists exactly the fields that changed. Secret fields
/// (PIN hashes) are left out; the caller adds "changed" for a new secret.
/// </summary>
public static class AuditSnapshot
{
    public static Dictionary<string, string?> Of<T>(T? value, JsonSerializerOptions options, params string[] leaveOut)
    {
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (value is null || JsonSerializer.SerializeToNode(value, options) is not JsonObject obj) return fields;
        foreach (var (name, node) in obj)
        {
            if (leaveOut.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            fields[name] = node switch
            {
                null => null,
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                _ => node.ToJsonString(),
            };
        }
        return fields;
    }

    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };
}
