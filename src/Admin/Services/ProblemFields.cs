using System.Text.RegularExpressions;

namespace Hotline.Admin.Services;

/// <summary>
/// The switch's models name what is wrong as "where:Field message" ("trunk:Host '' must be …",
/// "Trunks:3:Port 0 …", "route:Trunks:1 must not be empty"); the panel and the API want field → messages.
/// </summary>
internal static partial class ProblemFields
{
    public static Dictionary<string, string[]> Parse(IEnumerable<string> problems, string fallbackField = "Name")
    {
        var errors = new Dictionary<string, List<string>>();
        foreach (var p in problems.SelectMany(p => p.Split("; ", StringSplitOptions.RemoveEmptyEntries)))
        {
            var m = Problem().Match(p);
            var field = m.Success ? m.Groups[1].Value : fallbackField;
            var text = m.Success ? m.Groups[2].Value : p;
            if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
            list.Add(text);
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    // Leading "section:index:" parts are skipped lazily; the field is the last word before an optional ":index" and a space.
    [GeneratedRegex("^(?:[A-Za-z0-9]+:)*?([A-Za-z]+)(?::\\d+)? (.*)$")]
    private static partial Regex Problem();
}
