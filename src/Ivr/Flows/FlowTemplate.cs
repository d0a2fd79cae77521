using System.Text;

namespace Hotline.Ivr.Flows;

/// <summary>
/// Text with variable references: "${caller}", "${http.caseId}". An unknown variable expands to nothing,
/// so a template never fails at call time; its syntax is checked when the flow is saved.
/// </summary>
public static class FlowTemplate
{
    /// <summary>Null when <paramref name="template"/> is well formed, else what is wrong.</summary>
    public static string? Check(string template)
    {
        var i = 0;
        while ((i = template.IndexOf("${", i, StringComparison.Ordinal)) >= 0)
        {
            var end = template.IndexOf('}', i + 2);
            if (end < 0) return $"'${{' at position {i} is not closed with '}}'";
            var name = template[(i + 2)..end];
            if (!FlowFields.VariableName().IsMatch(name)) return $"'${{{name}}}' does not name a variable";
            i = end + 1;
        }
        return null;
    }

    public static string Expand(string template, IDictionary<string, string> variables, Func<string, string>? encode = null)
    {
        if (!template.Contains("${", StringComparison.Ordinal)) return template;
        var sb = new StringBuilder(template.Length + 16);
        var i = 0;
        while (i < template.Length)
        {
            var start = template.IndexOf("${", i, StringComparison.Ordinal);
            var end = start < 0 ? -1 : template.IndexOf('}', start + 2);
            if (start < 0 || end < 0)
            {
                sb.Append(template, i, template.Length - i);
                break;
            }
            sb.Append(template, i, start - i);
            var value = variables.TryGetValue(template[(start + 2)..end], out var v) ? v : "";
            sb.Append(encode is null ? value : encode(value));
            i = end + 1;
        }
        return sb.ToString();
    }
}
