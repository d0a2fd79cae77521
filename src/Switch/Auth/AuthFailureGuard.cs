using System.Collections.Concurrent;
using System.Net;

namespace Hotline.Switch.Auth;

/// <summary>Configuration section "Security".</summary>
public sealed class SecurityOptions
{
    /// <summary>Failed authentications from one address within the window before its answers are slowed.</summary>
    public int ThrottleAfterFailures { get; set; } = 5;
    /// <summary>Failed authentications within the window before the address is blocked.</summary>
    public int BlockAfterFailures { get; set; } = 10;
    public int FailureWindowSeconds { get; set; } = 60;
    public int BlockSeconds { get; set; } = 600;
    /// <summary>
    /// Digest algorithms offered in challenges, in order (MD5 and/or SHA-256). Empty means MD5 alone: many
    /// deployed phones — baresip 1.0 among them — give up on a 401 that offers SHA-256 at all, even next to
    /// MD5, so SHA-256 is offered only where a site knows its phones take it. Credentials in either are checked.
    /// (Empty by default because the configuration binder appends configured items to a non-empty default.)
    /// </summary>
    public string[] DigestAlgorithms { get; set; } = [];

    public IReadOnlyList<DigestAlgorithm> OfferedAlgorithms =>
        DigestAlgorithms.Length == 0 ? [DigestAlgorithm.Md5]
        : DigestAlgorithms.Select(a => DigestHash.TryParse(a, out var alg) ? alg : DigestAlgorithm.Md5).Distinct().ToList();
    public int NonceLifetimeSeconds { get; set; } = 300;

    public void Validate()
    {
        if (ThrottleAfterFailures < 1) throw new InvalidOperationException("Security:ThrottleAfterFailures must be at least 1");
        if (BlockAfterFailures < ThrottleAfterFailures) throw new InvalidOperationException("Security:BlockAfterFailures must be at least Security:ThrottleAfterFailures");
        if (FailureWindowSeconds < 1) throw new InvalidOperationException("Security:FailureWindowSeconds must be at least 1");
        if (BlockSeconds < 0) throw new InvalidOperationException("Security:BlockSeconds must not be negative");
        if (NonceLifetimeSeconds < 10) throw new InvalidOperationException("Security:NonceLifetimeSeconds must be at least 10");
        foreach (var a in DigestAlgorithms)
        {
            if (!DigestHash.TryParse(a, out _)) throw new InvalidOperationException($"Security:DigestAlgorithms: '{a}' is not MD5 or SHA-256");
        }
    }
}

/// <summary>
/// Slows then blocks addresses that keep failing authentication (password guessing, svcrack).
/// Past the throttle threshold an address gets at most one answer per second to its attempts;
/// past the block threshold everything it sends is dropped for the block time.
/// </summary>
public sealed class AuthFailureGuard
{
    private readonly SecurityOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<IPAddress, Source> _sources = new();

    public AuthFailureGuard(SecurityOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    public int BlockedCount => _sources.Values.Count(s => s.BlockedUntil > _time.GetTimestamp());

    public bool IsBlocked(IPAddress address) =>
        _sources.TryGetValue(address, out var s) && Volatile.Read(ref s.BlockedUntil) > _time.GetTimestamp();

    /// <summary>False when the address is throttled and was answered less than a second ago.</summary>
    public bool MayAnswer(IPAddress address)
    {
        if (!_sources.TryGetValue(address, out var s)) return true;
        lock (s)
        {
            var now = _time.GetTimestamp();
            Trim(s, now);
            if (s.Failures.Count < _options.ThrottleAfterFailures) return true;
            if (s.LastAnswered != 0 && _time.GetElapsedTime(s.LastAnswered, now) < TimeSpan.FromSeconds(1)) return false;
            s.LastAnswered = now;
            return true;
        }
    }

    /// <summary>Records a failure; returns true when this failure got the address blocked.</summary>
    public bool RecordFailure(IPAddress address)
    {
        Prune();
        var s = _sources.GetOrAdd(address, _ => new Source());
        lock (s)
        {
            var now = _time.GetTimestamp();
            Trim(s, now);
            s.Failures.Enqueue(now);
            if (s.Failures.Count < _options.BlockAfterFailures) return false;
            s.BlockedUntil = now + (long)(TimeSpan.FromSeconds(_options.BlockSeconds).TotalSeconds * _time.TimestampFrequency);
            s.Failures.Clear();
            return true;
        }
    }

    public void RecordSuccess(IPAddress address) => _sources.TryRemove(address, out _);

    private long _lastPrune;

    /// <summary>Forgets quiet addresses so spoofed sources cannot grow the table without bound.</summary>
    private void Prune()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastPrune);
        if (_time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(60) || Interlocked.CompareExchange(ref _lastPrune, now, last) != last) return;
        foreach (var (address, s) in _sources)
        {
            lock (s)
            {
                Trim(s, now);
                if (s.Failures.Count == 0 && s.BlockedUntil <= now) _sources.TryRemove(address, out _);
            }
        }
    }

    private void Trim(Source s, long now)
    {
        var window = TimeSpan.FromSeconds(_options.FailureWindowSeconds);
        while (s.Failures.Count > 0 && _time.GetElapsedTime(s.Failures.Peek(), now) > window) s.Failures.Dequeue();
    }

    private sealed class Source
    {
        public readonly Queue<long> Failures = new();
        public long BlockedUntil;
        public long LastAnswered;
    }
}
