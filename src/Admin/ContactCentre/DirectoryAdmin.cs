using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr.ContactCentre;

namespace Hotline.Admin.ContactCentre;

/// <summary>An agent as the panel and the API show it: never the PIN's hash.</summary>
public sealed record AgentView(string Number, string Name, IReadOnlyDictionary<string, int> Skills, int? WrapUpSeconds, bool Supervisor, bool Enabled, bool HasPin, string Source);

/// <summary>Create or change an agent; a null or empty PIN keeps the current one (a new agent needs one).</summary>
public sealed record AgentInput(string? Number, string? Name, string? Pin, Dictionary<string, int>? Skills = null, int? WrapUpSeconds = null, bool Supervisor = false, bool Enabled = true);

/// <summary>
/// Queues, agents and conference rooms through the panel and the API: validated by the contact centre's own
/// rules (each problem named by its field), checked against each other (a queue's members must be agents, an
/// agent still in a queue is not deleted), applied to the engine at once, and audited (PINs as "changed").
/// </summary>
public sealed class DirectoryAdmin(ContactCentreHost contactCentre, AuditLog audit)
{
    private ContactCentreDirectory Directory => contactCentre.Directory;

    public IReadOnlyList<QueueDefinition> Queues() => Directory.Queues();

    public QueueDefinition? Queue(string number) => Directory.Queue(number);

    public Outcome<QueueDefinition> SaveQueue(QueueDefinition input, string? number, Actor actor)
    {
        input.Number = number ?? input.Number?.Trim() ?? "";
        input.Name = input.Name?.Trim() ?? "";
        input.Members ??= [];
        input.Overflow = string.IsNullOrWhiteSpace(input.Overflow) ? null : input.Overflow.Trim();
        input.CallbackKey ??= "";
        var existing = Directory.Queue(input.Number);
        if (number is null && existing is not null) return Outcome<QueueDefinition>.Invalid("Number", $"queue {input.Number} already exists");
        if (number is not null && existing is null) return Outcome<QueueDefinition>.NotFound();
        var unknown = input.Members.Where(m => !string.IsNullOrWhiteSpace(m.Agent) && Directory.Agent(m.Agent) is null).Select(m => m.Agent).ToList();
        if (unknown.Count > 0) return Outcome<QueueDefinition>.Invalid("Members", $"no agent {string.Join(", ", unknown)}");
        var before = Snapshot(existing);
        try
        {
            Directory.SaveQueue(input);
        }
        catch (ContactCentreConfigException e)
        {
            return Outcome<QueueDefinition>.Invalid(IvrProblems.ParseContactCentre(e.Problems, $"queue {input.Number}"));
        }
        audit.Write(actor.Name, existing is null ? "queue.create" : "queue.update", input.Number, AuditLog.Diff(before, Snapshot(input)), actor.Address);
        return input;
    }

    public Outcome<QueueDefinition> DeleteQueue(string number, Actor actor)
    {
        var existing = Directory.Queue(number);
        if (existing is null) return Outcome<QueueDefinition>.NotFound();
        var overflowing = Directory.Queues().Where(q => q.Number != number && q.Overflow is { } o
            && QueueDefinition.TryParseTarget(o, out var t) && t.Kind == Hotline.Switch.Routing.RouteTargetKind.Queue && t.Value == number).Select(q => q.Number).ToList();
        if (overflowing.Count > 0) return Outcome<QueueDefinition>.Invalid("Number", $"queue {number} is the overflow of queue {string.Join(", ", overflowing)}");
        Directory.DeleteQueue(number);
        audit.Write(actor.Name, "queue.delete", number, AuditLog.Diff(Snapshot(existing), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    public IReadOnlyList<AgentView> Agents() => Directory.Agents().Select(View).ToList();

    public AgentView? Agent(string number) => Directory.Agent(number) is { } a ? View(a) : null;

    public Outcome<AgentView> SaveAgent(AgentInput input, string? number, Actor actor)
    {
        var id = number ?? input.Number?.Trim() ?? "";
        var existing = Directory.Agent(id);
        if (number is null && existing is not null) return Outcome<AgentView>.Invalid("Number", $"agent {id} already exists");
        if (number is not null && existing is null) return Outcome<AgentView>.NotFound();
        var pin = string.IsNullOrEmpty(input.Pin) ? null : input.Pin;
        if (existing is null && pin is null) return Outcome<AgentView>.Invalid("Pin", "is needed for a new agent (4 to 12 digits)");
        var agent = new AgentDefinition
        {
            Number = id, Name = input.Name?.Trim() ?? "", Skills = input.Skills ?? [], WrapUpSeconds = input.WrapUpSeconds,
            Supervisor = input.Supervisor, Enabled = input.Enabled,
        };
        var before = existing is null ? new Dictionary<string, string?>() : Snapshot(existing);
        try
        {
            Directory.SaveAgent(agent, pin);
        }
        catch (ContactCentreConfigException e)
        {
            return Outcome<AgentView>.Invalid(IvrProblems.ParseContactCentre(e.Problems, $"agent {id}"));
        }
        var after = Snapshot(agent);
        if (pin is not null) after["Pin"] = AuditLog.Masked;
        audit.Write(actor.Name, existing is null ? "agent.create" : "agent.update", id, AuditLog.Diff(before, after), actor.Address);
        return View(agent);
    }

    public Outcome<AgentView> DeleteAgent(string number, Actor actor)
    {
        var existing = Directory.Agent(number);
        if (existing is null) return Outcome<AgentView>.NotFound();
        var queues = Directory.Queues().Where(q => q.Members.Any(m => m.Agent == number)).Select(q => q.Number).ToList();
        if (queues.Count > 0) return Outcome<AgentView>.Invalid("Number", $"agent {number} is still a member of queue {string.Join(", ", queues)}");
        Directory.DeleteAgent(number);
        audit.Write(actor.Name, "agent.delete", number, AuditLog.Diff(Snapshot(existing), new Dictionary<string, string?>()), actor.Address);
        return View(existing);
    }

    public IReadOnlyList<ConferenceRoomDefinition> Rooms() => Directory.Rooms();

    public ConferenceRoomDefinition? Room(string number) => Directory.Room(number);

    public Outcome<ConferenceRoomDefinition> SaveRoom(ConferenceRoomDefinition input, string? number, Actor actor)
    {
        input.Number = number ?? input.Number?.Trim() ?? "";
        input.Name = input.Name?.Trim() ?? "";
        input.Pin = input.Pin?.Trim() ?? "";
        input.ModeratorPin = input.ModeratorPin?.Trim() ?? "";
        var existing = Directory.Room(input.Number);
        if (number is null && existing is not null) return Outcome<ConferenceRoomDefinition>.Invalid("Number", $"room {input.Number} already exists");
        if (number is not null && existing is null) return Outcome<ConferenceRoomDefinition>.NotFound();
        var before = existing is null ? new Dictionary<string, string?>() : RoomSnapshot(existing);
        try
        {
            Directory.SaveRoom(input);
        }
        catch (ContactCentreConfigException e)
        {
            return Outcome<ConferenceRoomDefinition>.Invalid(IvrProblems.ParseContactCentre(e.Problems, $"room {input.Number}"));
        }
        var after = RoomSnapshot(input);
        // PINs are written as "changed", never their digits.
        if (input.Pin != (existing?.Pin ?? "")) after["Pin"] = AuditLog.Masked;
        if (input.ModeratorPin != (existing?.ModeratorPin ?? "")) after["ModeratorPin"] = AuditLog.Masked;
        audit.Write(actor.Name, existing is null ? "room.create" : "room.update", input.Number, AuditLog.Diff(before, after), actor.Address);
        return input;
    }

    public Outcome<ConferenceRoomDefinition> DeleteRoom(string number, Actor actor)
    {
        var existing = Directory.Room(number);
        if (existing is null) return Outcome<ConferenceRoomDefinition>.NotFound();
        Directory.DeleteRoom(number);
        audit.Write(actor.Name, "room.delete", number, AuditLog.Diff(RoomSnapshot(existing), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    private static AgentView View(AgentDefinition a) =>
        new(a.Number, a.Name, a.Skills, a.WrapUpSeconds, a.Supervisor, a.Enabled, !string.IsNullOrEmpty(a.PinHash), a.Source);

    private static Dictionary<string, string?> Snapshot(QueueDefinition? q) => AuditSnapshot.Of(q, AuditSnapshot.Web);

    private static Dictionary<string, string?> Snapshot(AgentDefinition a) => AuditSnapshot.Of(a, AuditSnapshot.Web, "pinHash");

    private static Dictionary<string, string?> RoomSnapshot(ConferenceRoomDefinition r) => AuditSnapshot.Of(r, AuditSnapshot.Web, "pin", "moderatorPin");
}
