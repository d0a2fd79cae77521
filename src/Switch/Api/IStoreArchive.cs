namespace Hotline.Switch.Api;

/// <summary>One collection of the store as JSON (LiteDB's extended JSON, so dates and numbers keep their types).</summary>
public sealed record CollectionDump(string Name, int Count, string Json);

/// <summary>
/// A consistent copy of the store's durable contents, and its replacement. Live state (registrations)
/// is left out: phones register again. Used by backup and restore.
/// </summary>
public interface IStoreArchive
{
    /// <summary>Every durable collection, read in one transaction so the copy is of one instant.</summary>
    IReadOnlyList<CollectionDump> Export();

    /// <summary>Parses every document of the dumps; returns what is wrong (empty when they can be imported).</summary>
    IReadOnlyList<string> Check(IReadOnlyList<CollectionDump> dumps);

    /// <summary>Replaces the store's durable contents with the dumps, all or nothing. Call <see cref="Check"/> first.</summary>
    void Replace(IReadOnlyList<CollectionDump> dumps);
}
