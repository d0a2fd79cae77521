namespace Hotline.Switch.Routing;

/// <summary>
/// A way out to the PSTN: numbers dialled with <see cref="Prefix"/> have <see cref="Strip"/> digits
/// removed from the front and <see cref="Prepend"/> put there, and go to the first of
/// <see cref="Trunks"/> that takes the call (fail-over in order). Routes are tried by
/// <see cref="Order"/>, then the longer prefix first.
/// </summary>
public sealed record OutboundRoute
{
    public string Name { get; init; } = "";
    public int Order { get; init; }
    /// <summary>Digits (or '+') the dialled number starts with; empty matches everything.</summary>
    public string Prefix { get; init; } = "";
    public int Strip { get; init; }
    public string Prepend { get; init; } = "";
    public IReadOnlyList<string> Trunks { get; init; } = [];
    /// <summary>Record calls on this route (in addition to whatever the extension and trunk ask for).</summary>
    public bool Record { get; init; }
    public bool Enabled { get; init; } = true;
    /// <summary>"config" when seeded from the configuration file, "admin" once changed through the API.</summary>
    public string Source { get; init; } = "admin";

    public bool Matches(string dialled) => dialled.StartsWith(Prefix, StringComparison.Ordinal) && dialled.Length > Strip;

    /// <summary>The dialled number after the route's digit manipulation.</summary>
    public string Manipulate(string dialled) => Prepend + dialled[Math.Min(Strip, dialled.Length)..];

    /// <summary>What is wrong with the route, each message naming its field under <paramref name="where"/>; empty when valid.</summary>
    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Name)) yield return $"{where}:Name must not be empty";
        if (!IsDialString(Prefix, allowEmpty: true)) yield return $"{where}:Prefix '{Prefix}' must be digits, * or # (or + first)";
        if (Strip < 0) yield return $"{where}:Strip {Strip} must not be negative";
        if (!IsDialString(Prepend, allowEmpty: true)) yield return $"{where}:Prepend '{Prepend}' must be digits (or + first)";
        if (Trunks.Count == 0) yield return $"{where}:Trunks must name at least one trunk";
        for (var i = 0; i < Trunks.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(Trunks[i])) yield return $"{where}:Trunks:{i} must not be empty";
        }
    }

    internal static bool IsDialString(string s, bool allowEmpty)
    {
        if (s.Length == 0) return allowEmpty;
        for (var i = 0; i < s.Length; i++)
        {
            if (!(char.IsAsciiDigit(s[i]) || s[i] is '*' or '#' || (s[i] == '+' && i == 0))) return false;
        }
        return true;
    }
}
