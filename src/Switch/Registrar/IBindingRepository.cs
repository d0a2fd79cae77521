namespace Hotline.Switch.Registrar;

/// <summary>Durable copy of the registrar's bindings, so a restart keeps phones reachable.</summary>
public interface IBindingRepository
{
    IReadOnlyList<Binding> LoadAll();

    /// <summary>Applies a batch of changes atomically: upserts by key, then deletes by key.</summary>
    void Apply(IReadOnlyCollection<Binding> upserts, IReadOnlyCollection<string> deletes);
}
