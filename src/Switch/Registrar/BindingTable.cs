using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Registrar;

public enum BindingChangeKind { Added, Refreshed, Removed, Expired }

public readonly record struct BindingChange(BindingChangeKind Kind, Binding Binding);

/// <summary>One contact of a REGISTER, already checked: URI, parameters to keep, granted expiry (0 removes).</summary>
public readonly record struct ContactUpdate(string Uri, string Params, int Expires);

/// <summary>What the table needs from a REGISTER to apply RFC 3261 §10.3 steps 6–8.</summary>
public sealed record RegisterUpdate(string CallId, uint CSeq, bool Wildcard, IReadOnlyList<ContactUpdate> Contacts,
    Sip.SipTransportKind Transport, string SourceAddress, int SourcePort, long ConnectionId, string? UserAgent);

/// <summary>
/// The live bindings, in memory for speed (every call to an extension looks here), written behind
/// to the repository in batches, expired by a sweep. Each AOR's list is changed under its own lock.
/// </summary>
public sealed class BindingTable : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<Binding>> _aors = new(StringComparer.Ordinal);
    private readonly IBindingRepository _repository;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly int _maxPerAor;
    private readonly Channel<(Binding? Upsert, string? Delete)> _pending = Channel.CreateUnbounded<(Binding?, string?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly ITimer _sweep;
    private int _count;
    private long _enqueued;
    private long _written;

    public BindingTable(IBindingRepository repository, TimeProvider time, ILogger logger, int maxPerAor = 10, TimeSpan? sweepInterval = null)
    {
        _repository = repository;
        _time = time;
        _logger = logger;
        _maxPerAor = maxPerAor;
        Load();
        _writer = Task.Run(WriteBehind);
        var every = sweepInterval ?? TimeSpan.FromSeconds(5);
        _sweep = time.CreateTimer(_ => Sweep(), null, every, every);
    }

    /// <summary>Raised after each change, outside any lock.</summary>
    public event Action<BindingChange>? Changed;

    public int Count => Volatile.Read(ref _count);

    public int AorCount => _aors.Count(kv => kv.Value.Count > 0);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Load()
    {
        var now = NowMs;
        var expired = new List<string>();
        foreach (var b in _repository.LoadAll())
        {
            if (b.ExpiresAtMs <= now)
            {
                expired.Add(b.Key);
                continue;
            }
            _aors.GetOrAdd(b.Aor, _ => []).Add(b);
            _count++;
        }
        if (expired.Count > 0) _repository.Apply([], expired);
        _logger.LogInformation("registrar loaded {Count} bindings ({Expired} had expired)", _count, expired.Count);
    }

    /// <summary>Live bindings of an AOR (copies of the list, not of the bindings).</summary>
    public IReadOnlyList<Binding> Lookup(string aor)
    {
        if (!_aors.TryGetValue(aor, out var list)) return [];
        var now = NowMs;
        lock (list) return list.Where(b => b.ExpiresAtMs > now).ToList();
    }

    public IReadOnlyList<Binding> All()
    {
        var now = NowMs;
        var all = new List<Binding>();
        foreach (var list in _aors.Values)
        {
            lock (list) all.AddRange(list.Where(b => b.ExpiresAtMs > now));
        }
        return all;
    }

    /// <summary>
    /// Applies a REGISTER (RFC 3261 §10.3 steps 6–7). Returns false, changing nothing, when a
    /// contact's binding is newer (same Call-ID, CSeq not higher): an out-of-order request.
    /// </summary>
    public bool Apply(string aor, RegisterUpdate update, out IReadOnlyList<Binding> current)
    {
        var changes = new List<BindingChange>();
        var now = NowMs;
        var list = _aors.GetOrAdd(aor, _ => []);
        bool ok;
        lock (list)
        {
            ok = ApplyLocked(aor, list, update, now, changes);
            current = list.Where(b => b.ExpiresAtMs > now).ToList();
        }
        Publish(changes);
        return ok;
    }

    private bool ApplyLocked(string aor, List<Binding> list, RegisterUpdate u, long now, List<BindingChange> changes)
    {
        if (u.Wildcard)
        {
            // §10.3 step 6: "*" removes every binding unless one is from the same Call-ID with a CSeq not lower.
            if (list.Any(b => b.CallId == u.CallId && b.CSeq >= u.CSeq)) return false;
            foreach (var b in list) changes.Add(new BindingChange(BindingChangeKind.Removed, b));
            list.Clear();
            return true;
        }
        foreach (var c in u.Contacts)
        {
            var existing = list.FindIndex(b => b.ContactUri == c.Uri);
            if (existing >= 0 && list[existing].CallId == u.CallId && list[existing].CSeq >= u.CSeq) return false;
        }
        foreach (var c in u.Contacts)
        {
            var index = list.FindIndex(b => b.ContactUri == c.Uri);
            if (c.Expires == 0)
            {
                if (index >= 0)
                {
                    changes.Add(new BindingChange(BindingChangeKind.Removed, list[index]));
                    list.RemoveAt(index);
                }
                continue;
            }
            var binding = new Binding
            {
                Aor = aor, ContactUri = c.Uri, ContactParams = c.Params, CallId = u.CallId, CSeq = u.CSeq,
                ExpiresAtMs = now + c.Expires * 1000L, RegisteredAtMs = index >= 0 ? list[index].RegisteredAtMs : now,
                Transport = u.Transport, SourceAddress = u.SourceAddress, SourcePort = u.SourcePort,
                ConnectionId = u.ConnectionId, UserAgent = u.UserAgent,
            };
            if (index >= 0)
            {
                list[index] = binding;
                changes.Add(new BindingChange(BindingChangeKind.Refreshed, binding));
                continue;
            }
            if (list.Count >= _maxPerAor)
            {
                var oldest = list.MinBy(b => b.ExpiresAtMs)!;
                list.Remove(oldest);
                changes.Add(new BindingChange(BindingChangeKind.Removed, oldest));
            }
            list.Add(binding);
            changes.Add(new BindingChange(BindingChangeKind.Added, binding));
        }
        return true;
    }

    /// <summary>Removes expired bindings; runs on a timer.</summary>
    public void Sweep()
    {
        var now = NowMs;
        List<BindingChange>? changes = null; // made only when something expired: most sweeps find nothing
        foreach (var (aor, list) in _aors)
        {
            lock (list)
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    if (list[i].ExpiresAtMs > now) continue;
                    (changes ??= []).Add(new BindingChange(BindingChangeKind.Expired, list[i]));
                    list.RemoveAt(i);
                }
                if (list.Count == 0) _aors.TryRemove(new KeyValuePair<string, List<Binding>>(aor, list));
            }
        }
        if (changes is not null) Publish(changes);
    }

    private void Publish(List<BindingChange> changes)
    {
        foreach (var change in changes)
        {
            var added = change.Kind == BindingChangeKind.Added;
            var removed = change.Kind is BindingChangeKind.Removed or BindingChangeKind.Expired;
            if (added) Interlocked.Increment(ref _count);
            if (removed) Interlocked.Decrement(ref _count);
            Interlocked.Increment(ref _enqueued);
            _pending.Writer.TryWrite(removed ? (null, change.Binding.Key) : (change.Binding, null));
            try
            {
                Changed?.Invoke(change);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "binding change handler failed");
            }
        }
    }

    /// <summary>Writes pending changes in batches: a burst of 1,000 registrations is a handful of transactions.</summary>
    private async Task WriteBehind()
    {
        var reader = _pending.Reader;
        while (await reader.WaitToReadAsync())
        {
            var upserts = new Dictionary<string, Binding>();
            var deletes = new HashSet<string>();
            var taken = 0;
            while (reader.TryRead(out var item))
            {
                taken++;
                if (item.Upsert is { } b)
                {
                    upserts[b.Key] = b;
                    deletes.Remove(b.Key);
                }
                else if (item.Delete is { } key)
                {
                    upserts.Remove(key);
                    deletes.Add(key);
                }
                if (upserts.Count + deletes.Count >= 2000) break;
            }
            try
            {
                _repository.Apply(upserts.Values, deletes);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "could not persist {Count} registration changes", upserts.Count + deletes.Count);
            }
            Interlocked.Add(ref _written, taken);
        }
    }

    /// <summary>Waits until everything changed so far is in the repository.</summary>
    public async Task FlushAsync()
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _written) < target && !_writer.IsCompleted) await Task.Delay(2);
    }

    public async ValueTask DisposeAsync()
    {
        _sweep.Dispose();
        _pending.Writer.TryComplete();
        await _writer;
    }
}
