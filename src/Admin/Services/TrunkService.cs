using Hotline.Admin.Audit;
using Hotline.Switch.Trunks;

namespace Hotline.Admin.Services;

/// <summary>
/// Trunks through the panel and the API, over the trunk repository: validated by the trunk's own rules
/// (each problem named by its field), audited with the password masked, and applied at once (the trunk
/// manager reconciles registrations and keep-alives when the repository changes).
/// </summary>
public sealed class TrunkService(ITrunkRepository trunks, AuditLog audit)
{
    private const string Where = "trunk";

    public IReadOnlyList<Trunk> List() => trunks.List();

    public Trunk? Get(string name) => trunks.Find(name);

    public Outcome<Trunk> Create(Trunk input, Actor actor) => Save(input, creating: true, actor);

    public Outcome<Trunk> Update(string name, Trunk input, Actor actor) => Save(input with { Name = name }, creating: false, actor);

    public Outcome<Trunk> Delete(string name, Actor actor)
    {
        var existing = trunks.Find(name);
        if (existing is null) return Outcome<Trunk>.NotFound();
        trunks.Delete(name);
        audit.Write(actor.Name, "trunk.delete", name, AuditLog.Diff(Snapshot(existing, false), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    private Outcome<Trunk> Save(Trunk input, bool creating, Actor actor)
    {
        var wanted = input with
        {
            Name = input.Name?.Trim() ?? "", Host = input.Host?.Trim() ?? "", AllowedSources = input.AllowedSources ?? [], Source = "admin",
            Password = string.IsNullOrEmpty(input.Password) ? null : input.Password,
        };
        var errors = Errors(wanted.Problems(Where));
        if (errors.Count > 0) return Outcome<Trunk>.Invalid(errors);
        var existing = trunks.Find(wanted.Name);
        if (creating && existing is not null) return Outcome<Trunk>.Invalid("Name", $"trunk '{wanted.Name}' already exists");
        if (!creating && existing is null) return Outcome<Trunk>.NotFound();
        if (wanted.Register && wanted.Password is null && existing?.HasPassword != true) return Outcome<Trunk>.Invalid("Password", "is needed to register");
        try
        {
            trunks.Save(wanted);
        }
        catch (ArgumentException e)
        {
            var parsed = Errors([e.Message]);
            return Outcome<Trunk>.Invalid(parsed.Count > 0 ? parsed : new Dictionary<string, string[]> { ["Name"] = [e.Message] });
        }
        var saved = trunks.Find(wanted.Name)!;
        audit.Write(actor.Name, creating ? "trunk.create" : "trunk.update", saved.Name,
            AuditLog.Diff(existing is null ? new Dictionary<string, string?>() : Snapshot(existing, false), Snapshot(saved, wanted.Password is not null)), actor.Address);
        return saved;
    }

    /// <summary>The trunk's problems keyed by field.</summary>
    internal static Dictionary<string, string[]> Errors(IEnumerable<string> problems) => ProblemFields.Parse(problems);

    private static Dictionary<string, string?> Snapshot(Trunk t, bool passwordChanged)
    {
        var d = new Dictionary<string, string?>
        {
            ["Enabled"] = t.Enabled ? "true" : "false", ["Host"] = t.Host, ["Port"] = t.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Transport"] = t.Transport.ToString(), ["Domain"] = t.Domain, ["Username"] = t.Username, ["AuthUsername"] = t.AuthUsername,
            ["Register"] = t.Register ? "true" : "false", ["AllowedSources"] = string.Join(",", t.AllowedSources), ["CallerId"] = t.CallerId,
            ["MaxConcurrentCalls"] = t.MaxConcurrentCalls.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MaxCallsPerMinute"] = t.MaxCallsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Record"] = t.Record ? "true" : "false", ["OptionsIntervalSeconds"] = t.OptionsIntervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (passwordChanged) d["Password"] = AuditLog.Masked;
        return d;
    }
}
