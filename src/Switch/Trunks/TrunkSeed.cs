using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Trunks;

/// <summary>A trunk as written in the configuration file (section "Trunks").</summary>
public sealed class TrunkConfig
{
    public string Name { get; set; } = "";
    public bool Enabled { get; set; } = true;
    public string Host { get; set; } = "";
    public int Port { get; set; } = 5060;
    public string Transport { get; set; } = "Udp";
    public string? Domain { get; set; }
    public string? Username { get; set; }
    public string? AuthUsername { get; set; }
    public string? Password { get; set; }
    public bool Register { get; set; }
    public int RegisterExpires { get; set; } = 3600;
    public List<string> AllowedSources { get; set; } = [];
    public string? CallerId { get; set; }
    public bool PassCallerNumber { get; set; }
    public string CallerIdFormat { get; set; } = "National";
    public string DialFormat { get; set; } = "National";
    public int MaxConcurrentCalls { get; set; }
    public int MaxCallsPerMinute { get; set; }
    public bool Record { get; set; }
    public int OptionsIntervalSeconds { get; set; }
    public int OptionsFailuresToDown { get; set; } = 3;
}

/// <summary>
/// Puts the configuration file's trunks into the store, like the extensions: a trunk changed through
/// the API since (Source "admin") is left alone; one still owned by the file follows the file.
/// </summary>
public static class TrunkSeed
{
    public static int Apply(ITrunkRepository repository, IEnumerable<TrunkConfig> configured)
    {
        var wanted = new List<Trunk>();
        var index = 0;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in configured)
        {
            var where = $"Trunks:{index++}";
            var trunk = ToTrunk(c, where);
            var problems = trunk.Problems(where).ToList();
            if (problems.Count > 0) throw new InvalidOperationException(problems[0]);
            if (!names.Add(trunk.Name)) throw new InvalidOperationException($"{where}:Name '{trunk.Name}' is used twice");
            wanted.Add(trunk);
        }
        var changed = 0;
        foreach (var trunk in wanted)
        {
            var existing = repository.Find(trunk.Name);
            if (existing is not null && existing.Source != "config") continue;
            if (existing is not null && Same(existing, trunk) && repository.Secret(trunk.Name) == trunk.Password) continue;
            repository.Save(trunk);
            changed++;
        }
        return changed;
    }

    private static Trunk ToTrunk(TrunkConfig c, string where) => new()
    {
        Name = c.Name, Enabled = c.Enabled, Host = c.Host, Port = c.Port,
        Transport = Enum.TryParse<SipTransportKind>(c.Transport, ignoreCase: true, out var t) && t is SipTransportKind.Udp or SipTransportKind.Tcp
            ? t : throw new InvalidOperationException($"{where}:Transport '{c.Transport}' must be Udp or Tcp"),
        Domain = string.IsNullOrWhiteSpace(c.Domain) ? null : c.Domain,
        Username = string.IsNullOrWhiteSpace(c.Username) ? null : c.Username,
        AuthUsername = string.IsNullOrWhiteSpace(c.AuthUsername) ? null : c.AuthUsername,
        Password = c.Password ?? "", HasPassword = !string.IsNullOrEmpty(c.Password),
        Register = c.Register, RegisterExpires = c.RegisterExpires, AllowedSources = c.AllowedSources.ToArray(),
        CallerId = string.IsNullOrWhiteSpace(c.CallerId) ? null : c.CallerId, PassCallerNumber = c.PassCallerNumber,
        CallerIdFormat = ParseFormat(c.CallerIdFormat, $"{where}:CallerIdFormat"), DialFormat = ParseFormat(c.DialFormat, $"{where}:DialFormat"),
        MaxConcurrentCalls = c.MaxConcurrentCalls, MaxCallsPerMinute = c.MaxCallsPerMinute, Record = c.Record,
        OptionsIntervalSeconds = c.OptionsIntervalSeconds, OptionsFailuresToDown = c.OptionsFailuresToDown, Source = "config",
    };

    internal static NumberFormat ParseFormat(string text, string field) =>
        Enum.TryParse<NumberFormat>(text, ignoreCase: true, out var f) && Enum.IsDefined(f)
            ? f : throw new InvalidOperationException($"{field} '{text}' must be National, E164 or E164NoPlus");

    /// <summary>Equal settings, password aside (the stored trunk never carries it).</summary>
    private static bool Same(Trunk stored, Trunk wanted) =>
        stored with { AllowedSources = [], Password = null, HasPassword = false } == wanted with { AllowedSources = [], Password = null, HasPassword = false }
        && stored.AllowedSources.SequenceEqual(wanted.AllowedSources);
}
