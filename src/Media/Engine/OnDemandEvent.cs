namespace Hotline.Media.Engine;

/// <summary>
/// The handlers of an event that forwards another one only while it has handlers of its own: the first
/// handler added calls <c>first</c> (subscribe upstream), the last one removed calls <c>last</c>. Used where
/// listening costs something (a leg's in-band DTMF detector runs only while someone takes its digits).
/// Thread-safe; the callbacks run under the lock, in order.
/// </summary>
public sealed class OnDemandEvent<THandler>(Action first, Action last) where THandler : Delegate
{
    private readonly Lock _gate = new();
    private THandler? _handlers;

    /// <summary>The handlers now (null when none), for raising the event.</summary>
    public THandler? Handlers => Volatile.Read(ref _handlers);

    public void Add(THandler? handler)
    {
        lock (_gate)
        {
            bool none = _handlers is null;
            _handlers = (THandler?)Delegate.Combine(_handlers, handler);
            if (none && _handlers is not null)
                first();
        }
    }

    public void Remove(THandler? handler)
    {
        lock (_gate)
        {
            bool some = _handlers is not null;
            _handlers = (THandler?)Delegate.Remove(_handlers, handler);
            if (some && _handlers is null)
                last();
        }
    }
}
