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

    public JsonCollection(HotlineStore store, string name) => _rows = store.Collection<Row>(name);

    public T? Find(string id) => _rows.FindById(id) is { } row ? IvrJson.Deserialize<T>(row.Json) : null;

    public IReadOnlyList<T> All() => _rows.FindAll().OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => IvrJson.Deserialize<T>(r.Json)!).ToList();

    public void Save(string id, T value) => _rows.Upsert(new Row { Id = id, Json = IvrJson.Serialize(value) });

    public bool Delete(string id) => _rows.Delete(id);

    private sealed class Row
    {
        [BsonId] public string Id { get; set; } = "";
        public string Json { get; set; } = "";
    }
}
