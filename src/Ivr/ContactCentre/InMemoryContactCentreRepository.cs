using System.Collections.Concurrent;
using System.Text.Json;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// The repository in memory, for tests and tools. Stored objects are copied in and out (as a database
/// would), so a caller changing an object it holds does not change what is stored.
/// </summary>
public sealed class InMemoryContactCentreRepository : IContactCentreRepository
{
    private readonly ConcurrentDictionary<string, QueueDefinition> _queues = new();
    private readonly ConcurrentDictionary<string, AgentDefinition> _agents = new();
    private readonly ConcurrentDictionary<string, ConferenceRoomDefinition> _rooms = new();
    private readonly ConcurrentDictionary<string, AbandonedCall> _abandoned = new();
    private readonly ConcurrentDictionary<string, AgentSession> _sessions = new();

    private static T Copy<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    public IReadOnlyList<QueueDefinition> Queues() => _queues.Values.OrderBy(q => q.Number, StringComparer.Ordinal).Select(Copy).ToList();
    public QueueDefinition? FindQueue(string number) => _queues.TryGetValue(number, out var q) ? Copy(q) : null;
    public void SaveQueue(QueueDefinition queue) => _queues[queue.Number] = Copy(queue);
    public bool DeleteQueue(string number) => _queues.TryRemove(number, out _);

    public IReadOnlyList<AgentDefinition> Agents() => _agents.Values.OrderBy(a => a.Number, StringComparer.Ordinal).Select(Copy).ToList();
    public AgentDefinition? FindAgent(string number) => _agents.TryGetValue(number, out var a) ? Copy(a) : null;
    public void SaveAgent(AgentDefinition agent) => _agents[agent.Number] = Copy(agent);
    public bool DeleteAgent(string number) => _agents.TryRemove(number, out _);

    public IReadOnlyList<ConferenceRoomDefinition> Rooms() => _rooms.Values.OrderBy(r => r.Number, StringComparer.Ordinal).Select(Copy).ToList();
    public ConferenceRoomDefinition? FindRoom(string number) => _rooms.TryGetValue(number, out var r) ? Copy(r) : null;
    public void SaveRoom(ConferenceRoomDefinition room) => _rooms[room.Number] = Copy(room);
    public bool DeleteRoom(string number) => _rooms.TryRemove(number, out _);

    public void SaveAbandoned(AbandonedCall call) => _abandoned[call.Id] = Copy(call);
    public AbandonedCall? FindAbandoned(string id) => _abandoned.TryGetValue(id, out var a) ? Copy(a) : null;

    public IReadOnlyList<AbandonedCall> Abandoned(bool includeHandled, int limit = 200) =>
        _abandoned.Values.Where(a => includeHandled || a.Handled is null).OrderByDescending(a => a.Abandoned).Take(limit).Select(Copy).ToList();

    public IReadOnlyList<AgentSession> Sessions() => _sessions.Values.Select(Copy).ToList();
    public void SaveSession(AgentSession session) => _sessions[session.Agent] = Copy(session);
    public void DeleteSession(string agent) => _sessions.TryRemove(agent, out _);
}
