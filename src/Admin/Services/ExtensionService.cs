using Hotline.Admin.Audit;
using Hotline.Switch.Accounts;
using Hotline.Switch.Api;

namespace Hotline.Admin.Services;

/// <summary>An extension as the panel shows it: never the password or its hashes.</summary>
public sealed record ExtensionView(string Number, string DisplayName, bool Enabled, bool Record, string OutboundClass, string Source, bool Registered);

/// <summary>Create or change an extension; on change a null or empty password keeps the current one.</summary>
public sealed record ExtensionInput(string Number, string? DisplayName, string? Password, bool Enabled = true, bool Record = true, string OutboundClass = "national");

/// <summary>Extensions through the panel and the API: validated field by field, audited, and marked Source "admin" so the configuration file no longer overwrites them.</summary>
public sealed class ExtensionService(IExtensionRepository extensions, ISwitchStatus status, AuditLog audit)
{
    public static readonly string[] OutboundClasses = ["internal", "local", "national", "international"];

    public IReadOnlyList<ExtensionView> List()
    {
        var registered = status.Registrations().Select(r => UserOf(r.Aor)).ToHashSet(StringComparer.Ordinal);
        return extensions.List().Select(e => View(e, registered.Contains(e.Number))).ToList();
    }

    public ExtensionView? Get(string number) =>
        extensions.Find(number) is { } e ? View(e, status.Registrations().Any(r => UserOf(r.Aor) == number)) : null;

    public Outcome<ExtensionView> Create(ExtensionInput input, Actor actor)
    {
        var errors = Validate(input, creating: true);
        if (errors.Count > 0) return Outcome<ExtensionView>.Invalid(errors);
        if (extensions.Find(input.Number) is not null) return Outcome<ExtensionView>.Invalid("Number", $"extension {input.Number} already exists");
        var e = new Extension
        {
            Number = input.Number, DisplayName = input.DisplayName?.Trim() ?? "", Enabled = input.Enabled, Record = input.Record,
            OutboundClass = input.OutboundClass, Source = "admin",
        };
        e.SetPassword(input.Password!, status.Endpoint.Realm);
        extensions.Save(e);
        audit.Write(actor.Name, "extension.create", e.Number, AuditLog.Diff(new Dictionary<string, string?>(), Snapshot(e, passwordChanged: true)), actor.Address);
        return View(e, false);
    }

    public Outcome<ExtensionView> Update(string number, ExtensionInput input, Actor actor)
    {
        var existing = extensions.Find(number);
        if (existing is null) return Outcome<ExtensionView>.NotFound();
        var errors = Validate(input with { Number = number }, creating: false);
        if (errors.Count > 0) return Outcome<ExtensionView>.Invalid(errors);
        var passwordChanged = input.Password is { Length: > 0 };
        var realm = status.Endpoint.Realm;
        if (!passwordChanged && existing.Realm != realm) return Outcome<ExtensionView>.Invalid("Password", $"the realm changed to '{realm}': the password must be set again");
        var updated = new Extension
        {
            Number = number, DisplayName = input.DisplayName?.Trim() ?? "", Enabled = input.Enabled, Record = input.Record, OutboundClass = input.OutboundClass,
            Source = "admin", Ha1Md5 = existing.Ha1Md5, Ha1Sha256 = existing.Ha1Sha256, Realm = existing.Realm,
        };
        if (passwordChanged) updated.SetPassword(input.Password!, realm);
        extensions.Save(updated);
        audit.Write(actor.Name, "extension.update", number, AuditLog.Diff(Snapshot(existing, false), Snapshot(updated, passwordChanged)), actor.Address);
        return View(updated, status.Registrations().Any(r => UserOf(r.Aor) == number));
    }

    public Outcome<ExtensionView> Delete(string number, Actor actor)
    {
        var existing = extensions.Find(number);
        if (existing is null) return Outcome<ExtensionView>.NotFound();
        extensions.Delete(number);
        audit.Write(actor.Name, "extension.delete", number, AuditLog.Diff(Snapshot(existing, false), new Dictionary<string, string?>()), actor.Address);
        return View(existing, false);
    }

    /// <summary>Field → problems; empty when the input is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(ExtensionInput input, bool creating)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(input.Number) || input.Number.Length is < 2 or > 10 || !input.Number.All(char.IsAsciiDigit))
            errors["Number"] = ["must be 2 to 10 digits"];
        if (input.DisplayName is { Length: > 64 }) errors["DisplayName"] = ["must have at most 64 characters"];
        if (input.DisplayName is { } name && name.Any(c => char.IsControl(c) || c == '"')) errors["DisplayName"] = ["must not contain quotes or control characters"];
        if (creating || input.Password is { Length: > 0 })
        {
            var p = input.Password ?? "";
            if (p.Length < 8) errors["Password"] = ["must have at least 8 characters"];
            else if (p.Length > 64) errors["Password"] = ["must have at most 64 characters"];
            else if (p == input.Number || !p.Any(char.IsLetter) || !p.Any(char.IsDigit)) errors["Password"] = ["must contain letters and digits and differ from the number"];
        }
        if (!OutboundClasses.Contains(input.OutboundClass)) errors["OutboundClass"] = ["must be internal, local, national or international"];
        return errors;
    }

    private static Dictionary<string, string?> Snapshot(Extension e, bool passwordChanged)
    {
        var d = new Dictionary<string, string?>
        {
            ["DisplayName"] = e.DisplayName, ["Enabled"] = e.Enabled ? "true" : "false", ["Record"] = e.Record ? "true" : "false",
            ["OutboundClass"] = e.OutboundClass, ["Source"] = e.Source,
        };
        if (passwordChanged) d["Password"] = AuditLog.Masked;
        return d;
    }

    private static ExtensionView View(Extension e, bool registered) => new(e.Number, e.DisplayName ?? "", e.Enabled, e.Record, e.OutboundClass ?? "national", e.Source ?? "admin", registered);

    /// <summary>"sip:1001@hotline" → "1001".</summary>
    public static string UserOf(string aor)
    {
        var s = aor.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? aor[4..] : aor.StartsWith("sips:", StringComparison.OrdinalIgnoreCase) ? aor[5..] : aor;
        var at = s.IndexOf('@');
        return at >= 0 ? s[..at] : s;
    }
}
