using System.Collections.Concurrent;
using System.Reflection;

namespace Hotline.Ivr.Flows;

/// <summary>A flow in a listing.</summary>
public sealed record FlowSummary(string Id, string Name, int Version, DateTimeOffset Updated, int Nodes, string Source);

/// <summary>
/// Flows for the REST API, the panel and the interpreter: list, get, validate, save, delete. A saved flow
/// serves the next call that enters it, without a restart; a call already inside keeps the version it
/// started with. Parsed flows are cached by version, so calls don't re-read JSON.
/// </summary>
public sealed class FlowService
{
    private readonly IFlowRepository _repository;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (int Version, FlowDefinition Flow)> _parsed = new(StringComparer.Ordinal);
    private static readonly Lazy<string> s_schema = new(LoadSchema);

    public FlowService(IFlowRepository repository, TimeProvider time)
    {
        _repository = repository;
        _time = time;
    }

    /// <summary>Consulted for warnings about prompts, schedules, mailboxes and flows a flow names.</summary>
    public IFlowReferences? References { get; set; }

    /// <summary>The JSON Schema of flow documents (flow.schema.json), for editors.</summary>
    public static string Schema => s_schema.Value;

    public IReadOnlyList<FlowSummary> List() => _repository.List().Select(r =>
        new FlowSummary(r.Id, r.Name, r.Version, r.Updated, Find(r)?.Nodes.Count ?? 0, r.Source)).ToList();

    /// <summary>The stored document, as written.</summary>
    public FlowRecord? GetDocument(string id) => _repository.Find(id);

    /// <summary>The parsed flow for a call; null when there is none (or the stored one no longer parses).</summary>
    public FlowDefinition? Get(string id)
    {
        var record = _repository.Find(id);
        return record is null ? null : Find(record);
    }

    public bool Exists(string id) => _repository.Find(id) is not null;

    public FlowCheck Validate(string json) => FlowValidator.Check(json, References);

    /// <summary>
    /// Saves a flow (its id is inside the document) after checking it; throws <see cref="FlowValidationException"/>
    /// listing every error. Returns the check, with warnings, and the new version.
    /// </summary>
    public (FlowCheck Check, int Version) Save(string json, string source = "admin")
    {
        var check = Validate(json);
        if (!check.Valid) throw new FlowValidationException(check.Errors);
        var flow = check.Flow!;
        var existing = _repository.Find(flow.Id);
        var version = (existing?.Version ?? 0) + 1;
        _repository.Save(new FlowRecord(flow.Id, flow.Name, json, version, _time.GetUtcNow(), source));
        _parsed[flow.Id] = (version, flow);
        return (check, version);
    }

    public bool Delete(string id)
    {
        _parsed.TryRemove(id, out _);
        return _repository.Delete(id);
    }

    private FlowDefinition? Find(FlowRecord record)
    {
        if (_parsed.TryGetValue(record.Id, out var cached) && cached.Version == record.Version) return cached.Flow;
        var flow = FlowReader.Read(record.Json, out _);
        if (flow is null) return null;
        if (FlowValidator.Check(flow, null).Errors.Count > 0) return null;
        _parsed[record.Id] = (record.Version, flow);
        return flow;
    }

    private static string LoadSchema()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Hotline.Ivr.Flows.flow.schema.json")
            ?? throw new InvalidOperationException("flow.schema.json is not embedded in Hotline.Ivr");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
