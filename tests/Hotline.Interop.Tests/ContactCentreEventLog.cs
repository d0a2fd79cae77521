using System.Diagnostics;
using Hotline.Ivr.ContactCentre;

namespace Hotline.Interop.Tests;

/// <summary>
/// The contact centre's live events from the moment it is made, each with the Stopwatch time it was
/// published (taken from its own timestamp, so a slow reader on a loaded machine does not move it), for a
/// test to wait on what the service did instead of sleeping.
/// </summary>
public sealed class ContactCentreEventLog : IAsyncDisposable
{
    private readonly ContactCentreEvents.Subscription _subscription;
    private readonly List<(ContactCentreEvent Event, long At)> _seen = [];
    private readonly long _stopwatchOrigin = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset _clockOrigin = TimeProvider.System.GetUtcNow();
    private readonly Task _pump;

    public ContactCentreEventLog(ContactCentreEvents events)
    {
        _subscription = events.Subscribe();
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>The events of <paramref name="type"/> so far.</summary>
    public IReadOnlyList<ContactCentreEvent> OfType(string type)
    {
        lock (_seen)
            return _seen.Where(e => e.Event.Type == type).Select(e => e.Event).ToList();
    }

    /// <summary>Every event so far, as "type data" lines, for failure messages.</summary>
    public string Describe()
    {
        lock (_seen)
            return string.Join("\n", _seen.Select(e => $"  {e.Event.At:HH:mm:ss.fff} {e.Event.Type} {e.Event.DataJson()}"));
    }

    /// <summary>
    /// Waits for an event of <paramref name="type"/> whose data is a <typeparamref name="T"/> matching
    /// <paramref name="match"/>; its Stopwatch time, or null after <paramref name="timeout"/>.
    /// </summary>
    public async Task<long?> WaitAsync<T>(string type, Func<T, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            lock (_seen)
            {
                foreach (var (e, at) in _seen)
                {
                    if (e.Type == type && e.Data is T data && match(data))
                        return at;
                }
            }
            if (clock.Elapsed > timeout)
                return null;
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        await _pump;
    }

    private async Task PumpAsync()
    {
        await foreach (var e in _subscription.Reader.ReadAllAsync())
        {
            long at = _stopwatchOrigin + (long)((e.At - _clockOrigin).TotalSeconds * Stopwatch.Frequency);
            lock (_seen)
                _seen.Add((e, at));
        }
    }
}
