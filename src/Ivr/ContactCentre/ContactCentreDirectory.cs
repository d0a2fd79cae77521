using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <summary>A configuration change that was refused, with every problem named by field.</summary>
public sealed class ContactCentreConfigException(IReadOnlyList<string> problems) : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// Queues, agents and rooms: seeded from the configuration file, edited through the API, kept in the
/// store, and handed to the engine as they change (so edits apply to the next decision).
/// </summary>
public sealed class ContactCentreDirectory
{
    /// <summary>Marks the inbound routes this directory made for queue and room numbers.</summary>
    public const string RouteSource = "contact-centre";

    private readonly AcdEngine _engine;
    private readonly IContactCentreRepository _repository;
    private readonly IRouteRepository? _routes;

    /// <param name="routes">
    /// The dial plan's routes: each queue and room number gets an inbound route (DID = its number), which makes
    /// it reachable from trunks and, as a service number, from phones. Routes the administrator made are left alone.
    /// </param>
    public ContactCentreDirectory(AcdEngine engine, IContactCentreRepository repository, IRouteRepository? routes = null)
    {
        _engine = engine;
        _repository = repository;
        _routes = routes;
    }

    private void EnsureRoute(string number, RouteTargetKind kind, bool record)
    {
        if (_routes is null) return;
        var existing = _routes.FindInbound(number);
        if (existing is not null && existing.Source != RouteSource) return;
        var wanted = new InboundRoute { Did = number, Target = kind, Value = number, Record = record, Source = RouteSource };
        if (existing != wanted) _routes.SaveInbound(wanted);
    }

    private void RemoveRoute(string number)
    {
        if (_routes?.FindInbound(number) is { Source: RouteSource }) _routes.DeleteInbound(number);
    }

    /// <summary>
    /// Puts the configuration file's queues, agents and rooms into the store (entries changed through the
    /// API since — Source "admin" — are left alone), then hands everything stored to the engine.
    /// Throws <see cref="ContactCentreConfigException"/> naming every bad field.
    /// </summary>
    public void Load(ContactCentreOptions options)
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0) throw new ContactCentreConfigException(problems);
        foreach (var q in options.Queues)
        {
            var existing = _repository.FindQueue(q.Number);
            if (existing is null || existing.Source == "config")
            {
                q.Source = "config";
                _repository.SaveQueue(q);
            }
        }
        foreach (var a in options.Agents)
        {
            var existing = _repository.FindAgent(a.Number);
            if (existing is not null && existing.Source != "config") continue;
            // Hashes are salted, so compare by checking the configured PIN against the stored hash.
            var pinHash = existing is not null && AgentPin.Verify(a.Pin, existing.PinHash) ? existing.PinHash : AgentPin.Hash(a.Pin);
            _repository.SaveAgent(new AgentDefinition
            {
                Number = a.Number, Name = a.Name, PinHash = pinHash, Skills = a.Skills, WrapUpSeconds = a.WrapUpSeconds,
                Supervisor = a.Supervisor, Source = "config",
            });
        }
        foreach (var r in options.Rooms)
        {
            var existing = _repository.FindRoom(r.Number);
            if (existing is null || existing.Source == "config")
            {
                r.Source = "config";
                _repository.SaveRoom(r);
            }
        }
        // Agents first: queues name them as members.
        foreach (var a in _repository.Agents())
        {
            if (a.Enabled) _engine.Post(new AgentConfigured(default, a.ToSettings()));
        }
        foreach (var q in _repository.Queues())
        {
            _engine.Post(new QueueConfigured(default, q.ToSettings()));
            EnsureRoute(q.Number, RouteTargetKind.Queue, q.Record);
        }
        foreach (var r in _repository.Rooms()) EnsureRoute(r.Number, RouteTargetKind.Conference, r.Record);
    }

    public IReadOnlyList<QueueDefinition> Queues() => _repository.Queues();
    public QueueDefinition? Queue(string number) => _repository.FindQueue(number);

    public void SaveQueue(QueueDefinition queue)
    {
        var problems = queue.Problems($"queue {queue.Number}").ToList();
        if (_repository.FindRoom(queue.Number) is not null) problems.Add($"queue {queue.Number}:Number is already a conference room");
        if (problems.Count > 0) throw new ContactCentreConfigException(problems);
        queue.Source = "admin";
        _repository.SaveQueue(queue);
        _engine.Post(new QueueConfigured(default, queue.ToSettings()));
        EnsureRoute(queue.Number, RouteTargetKind.Queue, queue.Record);
    }

    public bool DeleteQueue(string number)
    {
        if (!_repository.DeleteQueue(number)) return false;
        _engine.Post(new QueueRemoved(default, number));
        RemoveRoute(number);
        return true;
    }

    public IReadOnlyList<AgentDefinition> Agents() => _repository.Agents();
    public AgentDefinition? Agent(string number) => _repository.FindAgent(number);

    /// <summary>Saves an agent; <paramref name="pin"/> sets a new PIN (required for a new agent), null keeps the old one.</summary>
    public void SaveAgent(AgentDefinition agent, string? pin)
    {
        var problems = new List<string>();
        if (pin is not null)
        {
            if (AgentPin.IsValidPin(pin)) agent.PinHash = AgentPin.Hash(pin);
            else problems.Add($"agent {agent.Number}:Pin must be 4 to 12 digits");
        }
        else if (_repository.FindAgent(agent.Number) is { } existing) agent.PinHash = existing.PinHash;
        problems.AddRange(agent.Problems($"agent {agent.Number}"));
        if (problems.Count > 0) throw new ContactCentreConfigException(problems);
        agent.Source = "admin";
        _repository.SaveAgent(agent);
        _engine.Post(agent.Enabled ? new AgentConfigured(default, agent.ToSettings()) : new AgentRemoved(default, agent.Number));
    }

    public bool DeleteAgent(string number)
    {
        if (!_repository.DeleteAgent(number)) return false;
        _engine.Post(new AgentRemoved(default, number));
        return true;
    }

    public IReadOnlyList<ConferenceRoomDefinition> Rooms() => _repository.Rooms();
    public ConferenceRoomDefinition? Room(string number) => _repository.FindRoom(number);

    public void SaveRoom(ConferenceRoomDefinition room)
    {
        var problems = room.Problems($"room {room.Number}").ToList();
        if (_repository.FindQueue(room.Number) is not null) problems.Add($"room {room.Number}:Number is already a queue");
        if (problems.Count > 0) throw new ContactCentreConfigException(problems);
        room.Source = "admin";
        _repository.SaveRoom(room);
        EnsureRoute(room.Number, RouteTargetKind.Conference, room.Record);
    }

    public bool DeleteRoom(string number)
    {
        if (!_repository.DeleteRoom(number)) return false;
        RemoveRoute(number);
        return true;
    }

    /// <summary>
    /// The destination a number dialled from a phone leads to, when it is a queue or a room (for the dial
    /// plan: 8000 → queue, 8100 → conference); null otherwise.
    /// </summary>
    public RouteTarget? Resolve(string dialled)
    {
        if (_repository.FindQueue(dialled) is not null) return new(RouteTargetKind.Queue, dialled);
        if (_repository.FindRoom(dialled) is not null) return new(RouteTargetKind.Conference, dialled);
        return null;
    }
}
