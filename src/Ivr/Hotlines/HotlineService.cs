using Hotline.Ivr.Storage;
using Hotline.Switch.Store;

namespace Hotline.Ivr.Hotlines;

/// <summary>Hotline entries in the store (for the API and panel), read on every call so edits apply to the next call.</summary>
public sealed class HotlineService(HotlineStore store)
{
    private readonly JsonCollection<HotlineEntry> _entries = new(store, "ivr_hotlines");

    public IReadOnlyList<HotlineEntry> List() => _entries.All();
    public HotlineEntry? Get(string id) => _entries.Find(id);

    public void Save(HotlineEntry entry)
    {
        IvrValidationException.ThrowIfAny(entry.Problems());
        _entries.Save(entry.Id, entry);
    }

    public bool Delete(string id) => _entries.Delete(id);
}
