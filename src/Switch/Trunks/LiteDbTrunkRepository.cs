using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Trunks;

/// <summary>Trunks in the store, with an in-memory snapshot: every outbound call reads its trunk's settings.</summary>
public sealed class LiteDbTrunkRepository : ITrunkRepository
{
    private readonly ILiteCollection<TrunkDocument> _collection;
    private readonly object _gate = new();
    private Dictionary<string, Trunk>? _snapshot;

    public LiteDbTrunkRepository(HotlineStore store)
    {
        _collection = store.Collection<TrunkDocument>("trunks");
    }

    public event Action<string>? Changed;

    public Trunk? Find(string name) => Snapshot().GetValueOrDefault(name);

    public IReadOnlyList<Trunk> List() => Snapshot().Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    public void Save(Trunk trunk)
    {
        var problems = trunk.Problems($"Trunks[{trunk.Name}]").ToList();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        lock (_gate)
        {
            var password = trunk.Password ?? _collection.FindById(trunk.Name)?.Password;
            _collection.Upsert(TrunkDocument.From(trunk, password));
            _snapshot = null;
        }
        Changed?.Invoke(trunk.Name);
    }

    public bool Delete(string name)
    {
        bool deleted;
        lock (_gate)
        {
            deleted = _collection.Delete(name);
            _snapshot = null;
        }
        if (deleted) Changed?.Invoke(name);
        return deleted;
    }

    public string? Secret(string name)
    {
        lock (_gate) return _collection.FindById(name)?.Password;
    }

    private Dictionary<string, Trunk> Snapshot()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null) return snapshot;
        lock (_gate)
        {
            return _snapshot ??= _collection.FindAll().Select(d => d.ToTrunk()).ToDictionary(t => t.Name, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// The stored shape: Name is the document id; the only place the password lives. LiteDB stores
    /// empty strings as null (EmptyStringToNull), so reading back restores them.
    /// </summary>
    private sealed class TrunkDocument
    {
        [BsonId] public string Name { get; set; } = "";
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
        public string Source { get; set; } = "admin";

        public Trunk ToTrunk() => new()
        {
            Name = Name, Enabled = Enabled, Host = Host ?? "", Port = Port, Transport = Enum.Parse<SipTransportKind>(Transport), Domain = Domain,
            Username = Username, AuthUsername = AuthUsername, Password = null, HasPassword = !string.IsNullOrEmpty(Password),
            Register = Register, RegisterExpires = RegisterExpires, AllowedSources = (AllowedSources ?? []).ToArray(),
            CallerId = CallerId, PassCallerNumber = PassCallerNumber, CallerIdFormat = Enum.Parse<NumberFormat>(CallerIdFormat),
            DialFormat = Enum.Parse<NumberFormat>(DialFormat), MaxConcurrentCalls = MaxConcurrentCalls, MaxCallsPerMinute = MaxCallsPerMinute,
            Record = Record, OptionsIntervalSeconds = OptionsIntervalSeconds, OptionsFailuresToDown = OptionsFailuresToDown, Source = Source ?? "admin",
        };

        public static TrunkDocument From(Trunk t, string? password) => new()
        {
            Name = t.Name, Enabled = t.Enabled, Host = t.Host, Port = t.Port, Transport = t.Transport.ToString(), Domain = t.Domain,
            Username = t.Username, AuthUsername = t.AuthUsername, Password = password,
            Register = t.Register, RegisterExpires = t.RegisterExpires, AllowedSources = t.AllowedSources.ToList(),
            CallerId = t.CallerId, PassCallerNumber = t.PassCallerNumber, CallerIdFormat = t.CallerIdFormat.ToString(),
            DialFormat = t.DialFormat.ToString(), MaxConcurrentCalls = t.MaxConcurrentCalls, MaxCallsPerMinute = t.MaxCallsPerMinute,
            Record = t.Record, OptionsIntervalSeconds = t.OptionsIntervalSeconds, OptionsFailuresToDown = t.OptionsFailuresToDown, Source = t.Source,
        };
    }
}
