using Hotline.Switch.Store;
using LiteDB;

namespace Hotline.Ivr.ContactCentre;

/// <summary>Contact-centre configuration and records in the store.</summary>
public interface IContactCentreRepository
{
    IReadOnlyList<QueueDefinition> Queues();
    QueueDefinition? FindQueue(string number);
    void SaveQueue(QueueDefinition queue);
    bool DeleteQueue(string number);

    IReadOnlyList<AgentDefinition> Agents();
    AgentDefinition? FindAgent(string number);
    void SaveAgent(AgentDefinition agent);
    bool DeleteAgent(string number);

    IReadOnlyList<ConferenceRoomDefinition> Rooms();
    ConferenceRoomDefinition? FindRoom(string number);
    void SaveRoom(ConferenceRoomDefinition room);
    bool DeleteRoom(string number);

    void SaveAbandoned(AbandonedCall call);
    AbandonedCall? FindAbandoned(string id);
    /// <summary>Newest first; handled ones only when asked.</summary>
    IReadOnlyList<AbandonedCall> Abandoned(bool includeHandled, int limit = 200);

    IReadOnlyList<AgentSession> Sessions();
    void SaveSession(AgentSession session);
    void DeleteSession(string agent);
}

/// <summary>The contact centre's collections in LiteDB; every read goes to the database (configuration edits apply at once).</summary>
public sealed class LiteDbContactCentreRepository : IContactCentreRepository
{
    private readonly ILiteCollection<QueueDefinition> _queues;
    private readonly ILiteCollection<AgentDefinition> _agents;
    private readonly ILiteCollection<ConferenceRoomDefinition> _rooms;
    private readonly ILiteCollection<AbandonedCall> _abandoned;
    private readonly ILiteCollection<AgentSession> _sessions;

    /// <summary>Ids are the natural keys (queue, agent and room numbers), marked [BsonId] on the records.</summary>
    public LiteDbContactCentreRepository(HotlineStore store)
    {
        _queues = store.Collection<QueueDefinition>("acd_queues");
        _agents = store.Collection<AgentDefinition>("acd_agents");
        _rooms = store.Collection<ConferenceRoomDefinition>("conference_rooms");
        _abandoned = store.Collection<AbandonedCall>("acd_abandoned");
        _abandoned.EnsureIndex(a => a.Abandoned);
        _sessions = store.Collection<AgentSession>("acd_sessions");
    }

    public IReadOnlyList<QueueDefinition> Queues() => _queues.FindAll().OrderBy(q => q.Number, StringComparer.Ordinal).ToList();
    public QueueDefinition? FindQueue(string number) => _queues.FindById(number);
    public void SaveQueue(QueueDefinition queue) => _queues.Upsert(queue);
    public bool DeleteQueue(string number) => _queues.Delete(number);

    public IReadOnlyList<AgentDefinition> Agents() => _agents.FindAll().OrderBy(a => a.Number, StringComparer.Ordinal).ToList();
    public AgentDefinition? FindAgent(string number) => _agents.FindById(number);
    public void SaveAgent(AgentDefinition agent) => _agents.Upsert(agent);
    public bool DeleteAgent(string number) => _agents.Delete(number);

    public IReadOnlyList<ConferenceRoomDefinition> Rooms() => _rooms.FindAll().OrderBy(r => r.Number, StringComparer.Ordinal).ToList();
    public ConferenceRoomDefinition? FindRoom(string number) => _rooms.FindById(number);
    public void SaveRoom(ConferenceRoomDefinition room) => _rooms.Upsert(room);
    public bool DeleteRoom(string number) => _rooms.Delete(number);

    public void SaveAbandoned(AbandonedCall call) => _abandoned.Upsert(call);
    public AbandonedCall? FindAbandoned(string id) => _abandoned.FindById(id);

    public IReadOnlyList<AbandonedCall> Abandoned(bool includeHandled, int limit = 200)
    {
        var query = _abandoned.Query();
        if (!includeHandled) query = query.Where(a => a.Handled == null);
        return query.OrderByDescending(a => a.Abandoned).Limit(limit).ToList();
    }

    public IReadOnlyList<AgentSession> Sessions() => _sessions.FindAll().ToList();
    public void SaveSession(AgentSession session) => _sessions.Upsert(session);
    public void DeleteSession(string agent) => _sessions.Delete(agent);
}
