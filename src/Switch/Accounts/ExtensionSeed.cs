namespace Hotline.Switch.Accounts;

/// <summary>An extension as written in the configuration file (section "Extensions").</summary>
public sealed class ExtensionConfig
{
    public string Number { get; set; } = "";
    public string Name { get; set; } = "";
    public string Password { get; set; } = "";
    public bool Record { get; set; } = true;
    public string OutboundClass { get; set; } = "national";
}

/// <summary>
/// Puts the configuration file's extensions into the store. An extension changed through the API
/// since (Source "admin") is left alone; one still owned by the file follows the file.
/// </summary>
public static class ExtensionSeed
{
    public static int Apply(IExtensionRepository repository, IEnumerable<ExtensionConfig> configured, string realm)
    {
        var changed = 0;
        var index = 0;
        foreach (var c in configured)
        {
            var where = $"Extensions:{index++}";
            if (string.IsNullOrWhiteSpace(c.Number) || !c.Number.All(char.IsAsciiDigit))
                throw new InvalidOperationException($"{where}:Number '{c.Number}' must be digits");
            if (c.Password.Length < 6)
                throw new InvalidOperationException($"{where}:Password for {c.Number} must have at least 6 characters");
            var existing = repository.Find(c.Number);
            if (existing is not null && existing.Source != "config") continue;
            if (c.OutboundClass is not ("internal" or "local" or "national" or "international"))
                throw new InvalidOperationException($"{where}:OutboundClass '{c.OutboundClass}' must be internal, local, national or international");
            var wanted = new Extension { Number = c.Number, DisplayName = c.Name, Source = "config", Record = c.Record, OutboundClass = c.OutboundClass };
            wanted.SetPassword(c.Password, realm);
            if (existing is not null && existing.Ha1Md5 == wanted.Ha1Md5 && existing.DisplayName == wanted.DisplayName && existing.Realm == realm
                && existing.Record == wanted.Record && existing.OutboundClass == wanted.OutboundClass)
                continue;
            repository.Save(wanted);
            changed++;
        }
        return changed;
    }
}
