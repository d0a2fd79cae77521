namespace Hotline.Switch.Trunks;

/// <summary>
/// Trunks in the store. Changes take effect on the next call and the next registration cycle.
/// No method hands out a password: trunks come back with <see cref="Trunk.Password"/> null and
/// <see cref="Trunk.HasPassword"/> set; only <see cref="Secret"/> reads it, for the digest client.
/// </summary>
public interface ITrunkRepository
{
    Trunk? Find(string name);
    IReadOnlyList<Trunk> List();
    /// <summary>Adds or replaces a trunk; a null <see cref="Trunk.Password"/> keeps the stored one. Throws <see cref="ArgumentException"/> naming a bad field.</summary>
    void Save(Trunk trunk);
    bool Delete(string name);

    /// <summary>The stored password, to answer the trunk's digest challenges.</summary>
    string? Secret(string name);

    /// <summary>Raised after a save or delete on this node, with the trunk's name.</summary>
    event Action<string>? Changed;
}
