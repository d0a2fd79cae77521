namespace Hotline.Ivr.Flows;

/// <summary>A flow as stored: the document exactly as its author wrote it, and a version that changes on every save.</summary>
public sealed record FlowRecord(string Id, string Name, string Json, int Version, DateTimeOffset Updated, string Source);

public interface IFlowRepository
{
    FlowRecord? Find(string id);
    IReadOnlyList<FlowRecord> List();
    void Save(FlowRecord flow);
    bool Delete(string id);
}
