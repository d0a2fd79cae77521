using System.Globalization;

namespace Hotline.MediaLoad;

/// <summary>"--name value" arguments after the command word.</summary>
internal sealed class Options(string[] args)
{
    private readonly Dictionary<string, string> _values = Parse(args);

    public string Command { get; } = args.Length > 0 ? args[0] : "help";

    public string String(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Passes the options on to a child process.</summary>
    public IEnumerable<string> Forward(params string[] names)
    {
        foreach (var name in names)
        {
            if (_values.TryGetValue(name, out var value))
            {
                yield return "--" + name;
                yield return value;
            }
        }
    }

    private static Dictionary<string, string> Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            values[args[i][2..]] = args[i + 1];
        }
        return values;
    }
}
