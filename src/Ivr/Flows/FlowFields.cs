using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hotline.Ivr.Flows;

/// <summary>
/// Reads the fields of one JSON object, recording an error that names the node and field for each one
/// that is missing, of the wrong kind or out of range, and for every field the node type doesn't have
/// (a misspelt "nxet" must not silently end the call).
/// </summary>
internal sealed partial class FlowFields
{
    private readonly JsonElement _object;
    private readonly string? _node;
    private readonly List<FlowError> _errors;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public FlowFields(JsonElement obj, string? node, List<FlowError> errors)
    {
        _object = obj;
        _node = node;
        _errors = errors;
    }

    public const string Keys = "0123456789*#";

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    public static partial Regex NodeId();

    // At most 200 characters: a name is a file path under the prompts folder and a key in the store (LiteDB
    // refuses index keys of 1 KB or more).
    [GeneratedRegex("^(?=.{1,200}$)[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$")]
    public static partial Regex PromptName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.]{0,63}$")]
    public static partial Regex VariableName();

    public void Error(string field, string message) => _errors.Add(new FlowError(_node, field, message));

    private bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        if (!_object.TryGetProperty(name, out value)) return false;
        if (value.ValueKind != JsonValueKind.Null) return true;
        Error(name, "must not be null (leave the field out instead)");
        return false;
    }

    public string? String(string name, bool required = false, Regex? pattern = null, string? patternText = null)
    {
        if (!TryGet(name, out var v))
        {
            if (required) Error(name, "is required");
            return null;
        }
        if (v.ValueKind != JsonValueKind.String)
        {
            Error(name, $"must be a string, not {Kind(v)}");
            return null;
        }
        var s = v.GetString()!;
        if (required && s.Length == 0)
        {
            Error(name, "must not be empty");
            return null;
        }
        if (pattern is not null && !pattern.IsMatch(s))
        {
            Error(name, $"'{s}' is not {patternText}");
            return null;
        }
        return s;
    }

    /// <summary>A string that may contain ${variable} references.</summary>
    public string? Template(string name, bool required = false)
    {
        var s = String(name, required);
        if (s is not null && FlowTemplate.Check(s) is { } problem)
        {
            Error(name, problem);
            return null;
        }
        return s;
    }

    public string? NodeRef(string name, bool required = false) => String(name, required, NodeId(), "a node id (letters, digits, _ . -)");

    public double Number(string name, double fallback, double min, double max)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d))
        {
            Error(name, $"must be a number, not {Kind(v)}");
            return fallback;
        }
        if (d < min || d > max)
        {
            Error(name, $"must be from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {d.ToString(CultureInfo.InvariantCulture)}");
            return fallback;
        }
        return d;
    }

    public int Int(string name, int fallback, int min, int max)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i))
        {
            Error(name, $"must be a whole number, not {Kind(v)}");
            return fallback;
        }
        if (i < min || i > max)
        {
            Error(name, $"must be from {min} to {max}, not {i}");
            return fallback;
        }
        return i;
    }

    public int? OptionalInt(string name, int min, int max)
    {
        _read.Add(name);
        return _object.TryGetProperty(name, out _) ? Int(name, min, min, max) : null;
    }

    public bool Bool(string name, bool fallback)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(name, $"must be true or false, not {Kind(v)}");
            return fallback;
        }
        return v.GetBoolean();
    }

    /// <summary>One key of 0-9 * #; an empty string (when <paramref name="allowNone"/>) means none.</summary>
    public char? Key(string name, char? fallback, bool allowNone)
    {
        if (!_object.TryGetProperty(name, out var v))
        {
            _read.Add(name);
            return fallback;
        }
        _read.Add(name);
        if (v.ValueKind == JsonValueKind.Null && allowNone) return null;
        if (v.ValueKind != JsonValueKind.String)
        {
            Error(name, $"must be one key (0-9, * or #), not {Kind(v)}");
            return fallback;
        }
        var s = v.GetString()!;
        if (s.Length == 0 && allowNone) return null;
        if (s.Length != 1 || !Keys.Contains(s[0]))
        {
            Error(name, $"must be one key (0-9, * or #), not '{s}'");
            return fallback;
        }
        return s[0];
    }

    public IReadOnlyList<string> Prompts(string name)
    {
        if (!TryGet(name, out var v)) return [];
        if (v.ValueKind == JsonValueKind.String) v = JsonDocument.Parse($"[{v.GetRawText()}]").RootElement;
        if (v.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"must be a prompt name or a list of them, not {Kind(v)}");
            return [];
        }
        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || !PromptName().IsMatch(item.GetString()!))
                Error($"{name}[{i}]", $"{Describe(item)} is not a prompt name (letters, digits, _ -, folders with /; at most 200 characters)");
            else list.Add(item.GetString()!);
            i++;
        }
        return list;
    }

    /// <summary>An object whose values are strings, e.g. a menu's options or a lookup's cases.</summary>
    public IReadOnlyList<(string Key, JsonElement Value)>? Object(string name, bool required)
    {
        if (!TryGet(name, out var v))
        {
            if (required) Error(name, "is required");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Object)
        {
            Error(name, $"must be an object, not {Kind(v)}");
            return null;
        }
        return v.EnumerateObject().Select(p => (p.Name, p.Value)).ToList();
    }

    public JsonElement? Array(string name, bool required)
    {
        if (!TryGet(name, out var v))
        {
            if (required) Error(name, "is required");
            return null;
        }
        if (v.ValueKind != JsonValueKind.Array)
        {
            Error(name, $"must be a list, not {Kind(v)}");
            return null;
        }
        return v;
    }

    /// <summary>Reports the fields this node type doesn't have.</summary>
    public void RejectUnknown()
    {
        foreach (var p in _object.EnumerateObject())
        {
            if (!_read.Contains(p.Name)) Error(p.Name, "is not a field of this node type");
        }
    }

    public void Allow(string name) => _read.Add(name);

    public static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "true/false",
        _ => "null",
    };

    public static string Describe(JsonElement v) => v.ValueKind == JsonValueKind.String ? $"'{v.GetString()}'" : Kind(v);
}
