using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.Flows;

public sealed class LiteDbFlowRepository : IFlowRepository
{
    static LiteDbFlowRepository() => Storage.LiteDbMappers.Warm<FlowDocument>();

    private readonly ILiteCollection<FlowDocument> _collection;

    public LiteDbFlowRepository(HotlineStore store) => _collection = store.Collection<FlowDocument>("ivr_flows");

    public FlowRecord? Find(string id) => _collection.FindById(id)?.ToRecord();

    public IReadOnlyList<FlowRecord> List() => _collection.FindAll().Select(d => d.ToRecord()).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();

    public void Save(FlowRecord flow) => _collection.Upsert(new FlowDocument
    {
        Id = flow.Id, Name = flow.Name, Json = flow.Json, Version = flow.Version, UpdatedMs = flow.Updated.ToUnixTimeMilliseconds(), Source = flow.Source,
    });

    public bool Delete(string id) => _collection.Delete(id);

    private sealed class FlowDocument
    {
        [BsonId] public string Id { get; set; } = "";
        public string Name { get; set; } = "";
        public string Json { get; set; } = "";
        public int Version { get; set; }
        public long UpdatedMs { get; set; }
        public string Source { get; set; } = "admin";

        public FlowRecord ToRecord() => new(Id, Name ?? "", Json, Version, DateTimeOffset.FromUnixTimeMilliseconds(UpdatedMs), Source ?? "admin");
    }
}
