using System.Collections.Concurrent;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Accounts;

/// <summary>Extensions in the store, with a read-through cache: every REGISTER and INVITE looks one up.</summary>
public sealed class LiteDbExtensionRepository : IExtensionRepository
{
    private readonly ILiteCollection<ExtensionDocument> _collection;
    private readonly ConcurrentDictionary<string, Extension> _cache = new();

    public LiteDbExtensionRepository(HotlineStore store)
    {
        _collection = store.Collection<ExtensionDocument>("extensions");
    }

    public Extension? Find(string number)
    {
        if (_cache.TryGetValue(number, out var cached)) return cached;
        // Misses are not cached: a scanner trying thousands of numbers must not grow memory.
        var found = _collection.FindById(number)?.ToExtension();
        if (found is not null) _cache[number] = found;
        return found;
    }

    public IReadOnlyList<Extension> List() => _collection.FindAll().Select(d => d.ToExtension()).OrderBy(e => e.Number, StringComparer.Ordinal).ToList();

    public void Save(Extension extension)
    {
        _collection.Upsert(ExtensionDocument.From(extension));
        _cache[extension.Number] = extension;
    }

    public bool Delete(string number)
    {
        _cache.TryRemove(number, out _);
        return _collection.Delete(number);
    }

    /// <summary>The stored shape: Number is the document id.</summary>
    private sealed class ExtensionDocument
    {
        [BsonId] public string Number { get; set; } = "";
        public string DisplayName { get; set; } = "";
        public string Ha1Md5 { get; set; } = "";
        public string Ha1Sha256 { get; set; } = "";
        public string Realm { get; set; } = "";
        public bool Enabled { get; set; } = true;
        public string Source { get; set; } = "admin";
        public bool Record { get; set; } = true;
        public string OutboundClass { get; set; } = "national";

        public Extension ToExtension() => new()
        {
            Number = Number, DisplayName = DisplayName, Ha1Md5 = Ha1Md5, Ha1Sha256 = Ha1Sha256, Realm = Realm, Enabled = Enabled, Source = Source, Record = Record, OutboundClass = OutboundClass,
        };

        public static ExtensionDocument From(Extension e) => new()
        {
            Number = e.Number, DisplayName = e.DisplayName, Ha1Md5 = e.Ha1Md5, Ha1Sha256 = e.Ha1Sha256, Realm = e.Realm, Enabled = e.Enabled, Source = e.Source, Record = e.Record, OutboundClass = e.OutboundClass,
        };
    }
}
