using System.Text.RegularExpressions;

namespace Hotline.Admin.Services;

/// <summary>
/// The IVR's records name what is wrong by their JSON field first ("week.monday: opens at 09:00 but closes at
/// 08:00", "holidays[0]: from is after to", "status 700 must be …", "numbers[3]: '12a' is not a phone number");
/// the contact centre's by "queue 8000:RingTimeoutSeconds must …". The panel and the API want field → messages.
/// </summary>
public static partial class IvrProblems
{
    public static Dictionary<string, string[]> Parse(IEnumerable<string> problems, string fallbackField = "id")
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in problems)
        {
            var m = Leading().Match(p);
            var (field, text) = m.Success ? (m.Groups["field"].Value, m.Groups["text"].Value) : (fallbackField, p);
            Add(errors, field, text);
        }
        return Freeze(errors);
    }

    /// <summary>
    /// Contact-centre problems: "<paramref name="where"/>:Field message" or "where:Field:index:… message"; the field
    /// is the first name after the prefix ("Members" for "Members:1:Agent 5003 is listed twice").
    /// </summary>
    public static Dictionary<string, string[]> ParseContactCentre(IEnumerable<string> problems, string where, string fallbackField = "Number")
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var p in problems)
        {
            var rest = p.StartsWith(where + ":", StringComparison.Ordinal) ? p[(where.Length + 1)..] : p;
            var m = ContactCentreField().Match(rest);
            if (m.Success) Add(errors, m.Groups["field"].Value, m.Groups["text"].Value);
            else Add(errors, fallbackField, rest);
        }
        return Freeze(errors);
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string text)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(text);
    }

    private static Dictionary<string, string[]> Freeze(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    // A camelCase path (week.monday, holidays[0], numbers[2].ringSeconds), then ": " or a space, then the message.
    [GeneratedRegex(@"^(?<field>[a-z][A-Za-z0-9]*(?:\[\d+\])?(?:\.[A-Za-z0-9]+(?:\[\d+\])?)*)(?::\s*|\s+)(?<text>.+)$")]
    private static partial Regex Leading();

    [GeneratedRegex(@"^(?<field>[A-Za-z][A-Za-z0-9]*)(?:[: ])(?<text>.+)$")]
    private static partial Regex ContactCentreField();
}
