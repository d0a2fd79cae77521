using Hotline.Switch.Accounts;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Switch.Api;

/// <summary>
/// <see cref="IStoreArchive"/> over the LiteDB store. Extensions are written back through their
/// repository so its cache (every REGISTER reads it) follows the restore; <paramref name="replaced"/> lets
/// the switch pick up the rest (the trunk manager reconciles registrations with the restored trunks).
/// </summary>
public sealed class LiteDbStoreArchive(HotlineStore store, IExtensionRepository extensions, Action? replaced = null) : IStoreArchive
{
    /// <summary>Collections that hold live state, not configuration or history.</summary>
    private static readonly HashSet<string> s_live = new(StringComparer.OrdinalIgnoreCase) { "registrations" };
    private const string ExtensionsCollection = "extensions";

    public IReadOnlyList<CollectionDump> Export()
    {
        var dumps = new List<CollectionDump>();
        store.InTransaction(() =>
        {
            foreach (var name in CollectionNames())
            {
                var docs = new BsonArray(store.Collection<BsonDocument>(name).FindAll());
                dumps.Add(new CollectionDump(name, docs.Count, JsonSerializer.Serialize(docs)));
            }
        });
        return dumps;
    }

    public IReadOnlyList<string> Check(IReadOnlyList<CollectionDump> dumps)
    {
        var problems = new List<string>();
        foreach (var dump in dumps)
        {
            if (!IsCollectionName(dump.Name))
            {
                problems.Add($"'{dump.Name}' is not a collection name");
                continue;
            }
            if (s_live.Contains(dump.Name)) problems.Add($"{dump.Name}: live state is not restored");
            BsonValue parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(dump.Json);
            }
            catch (Exception e)
            {
                problems.Add($"{dump.Name}: not valid JSON ({e.Message})");
                continue;
            }
            if (!parsed.IsArray)
            {
                problems.Add($"{dump.Name}: not an array of documents");
                continue;
            }
            var array = parsed.AsArray;
            if (array.Count != dump.Count) problems.Add($"{dump.Name}: {array.Count} documents, the manifest says {dump.Count}");
            for (var i = 0; i < array.Count; i++)
            {
                if (!array[i].IsDocument || !array[i].AsDocument.ContainsKey("_id")) problems.Add($"{dump.Name}[{i}]: not a document with an _id");
            }
            if (dump.Name == ExtensionsCollection) CheckExtensions(array, problems);
        }
        return problems;
    }

    private static void CheckExtensions(BsonArray array, List<string> problems)
    {
        foreach (var value in array)
        {
            if (!value.IsDocument) continue;
            var id = value.AsDocument["_id"];
            if (!id.IsString || id.AsString.Length == 0 || !id.AsString.All(char.IsAsciiDigit)) problems.Add($"extensions: '{id}' is not an extension number");
        }
    }

    public void Replace(IReadOnlyList<CollectionDump> dumps)
    {
        var before = extensions.List();
        var restoredExtensions = new List<Extension>();
        try
        {
            store.InTransaction(() =>
            {
                foreach (var name in CollectionNames().Where(n => n != ExtensionsCollection)) store.Collection<BsonDocument>(name).DeleteAll();
                foreach (var dump in dumps)
                {
                    var docs = JsonSerializer.Deserialize(dump.Json).AsArray.Select(v => v.AsDocument).ToList();
                    if (dump.Name == ExtensionsCollection)
                    {
                        restoredExtensions.AddRange(docs.Select(d => BsonMapper.Global.ToObject<ExtensionShape>(d).ToExtension()));
                        continue;
                    }
                    var collection = store.Collection<BsonDocument>(dump.Name);
                    if (docs.Count > 0) collection.InsertBulk(docs);
                }
                foreach (var e in before.Where(b => restoredExtensions.All(r => r.Number != b.Number))) extensions.Delete(e.Number);
                foreach (var e in restoredExtensions) extensions.Save(e);
            });
        }
        catch
        {
            // The transaction rolled back the file; put the repository's cache back as it was.
            foreach (var e in restoredExtensions.Where(r => before.All(b => b.Number != r.Number))) extensions.Delete(e.Number);
            foreach (var e in before) extensions.Save(e);
            throw;
        }
        replaced?.Invoke();
    }

    private IEnumerable<string> CollectionNames() =>
        store.Collection<BsonDocument>("$cols").Query().Where("type = 'user'").ToDocuments()
            .Select(d => d["name"].AsString).Where(n => !s_live.Contains(n)).OrderBy(n => n, StringComparer.Ordinal).ToList();

    private static bool IsCollectionName(string name) =>
        name.Length is > 0 and <= 60 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The stored shape of an extension (the repository's document, read back for its cache).</summary>
    private sealed class ExtensionShape
    {
        [BsonId] public string Number { get; set; } = "";
        public string? DisplayName { get; set; }
        public string? Ha1Md5 { get; set; }
        public string? Ha1Sha256 { get; set; }
        public string? Realm { get; set; }
        public bool Enabled { get; set; } = true;
        public string? Source { get; set; }
        public bool Record { get; set; } = true;
        public string? OutboundClass { get; set; }

        public Extension ToExtension() => new()
        {
            Number = Number, DisplayName = DisplayName ?? "", Ha1Md5 = Ha1Md5 ?? "", Ha1Sha256 = Ha1Sha256 ?? "", Realm = Realm ?? "",
            Enabled = Enabled, Source = Source ?? "admin", Record = Record, OutboundClass = OutboundClass ?? "national",
        };
    }
}
