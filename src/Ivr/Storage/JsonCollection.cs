using System.Runtime.CompilerServices;
using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Storage;

/// <summary>
/// Configuration records kept whole as JSON (<see cref="IvrJson"/>) under their id: schedules, calendars,
/// hotlines, mailboxes, follow-me profiles. They are read by id or all at once, never queried by field, so
/// one shape serves them all and the API's JSON is the stored JSON.
/// </summary>
public sealed class JsonCollection<T> where T : class
{
    static JsonCollection() => LiteDbMappers.Warm<Row>();

    private readonly ILiteCollection<Row> _rows;
    private readonly StrongBox<long> _writes;

    public JsonCollection(HotlineStore store, string name)
    {
        _rows = store.Collection<Row>(name);
        _writes = store.WriteCounter(name);
    }

    /// <summary>
    /// Saves and deletes made to this collection in this store (by any instance over it), counted after each
    /// one lands: read it before <see cref="All"/>, and an unchanged count later means the list is still current.
    /// </summary>
    public long Writes => Volatile.Read(ref _writes.Value);

    public T? Find(string id) => _rows.FindById(id) is { } row ? IvrJson.Deserialize<T>(row.Json) : null;

    public IReadOnlyList<T> All() => _rows.FindAll().OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => IvrJson.Deserialize<T>(r.Json)!).ToList();

    public void Save(string id, T value)
    {
        _rows.Upsert(new Row { Id = id, Json = IvrJson.Serialize(value) });
        Interlocked.Increment(ref _writes.Value);
    }

    public bool Delete(string id)
    {
        var deleted = _rows.Delete(id);
        Interlocked.Increment(ref _writes.Value);
        return deleted;
    }

    private sealed class Row
    {
        [BsonId] public string Id { get; set; } = "";
        public string Json { get; set; } = "";
    }
}
