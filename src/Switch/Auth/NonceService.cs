using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Hotline.Switch.Auth;

public enum NonceState { Valid, Stale, Invalid }

/// <summary>
/// Stateless nonces (RFC 7616 §3.3): base64url(time ‖ random ‖ HMAC(key, time ‖ random)). Any node
/// holding the key can check one without a lookup; an expired one is answered with stale=true so the
/// phone retries without asking its user. Nonce counts (nc) are remembered per nonce for the nonce's
/// lifetime, and each must be greater than the last: a replayed request is refused.
/// </summary>
public sealed class NonceService
{
    private const int PayloadLength = 16; // 8 bytes time, 8 bytes random
    private const int MacLength = 16;
    private readonly byte[] _key;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<string, NonceUse> _uses = new();
    private long _lastPrune;

    public NonceService(TimeProvider time, TimeSpan lifetime, byte[]? key = null)
    {
        _time = time;
        _lifetime = lifetime;
        _key = key ?? RandomNumberGenerator.GetBytes(32);
    }

    public TimeSpan Lifetime => _lifetime;

    public string Create()
    {
        Span<byte> raw = stackalloc byte[PayloadLength + MacLength];
        BinaryPrimitives.WriteInt64BigEndian(raw, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw.Slice(8, 8));
        HMACSHA256.HashData(_key, raw[..PayloadLength]).AsSpan(0, MacLength).CopyTo(raw[PayloadLength..]);
        return Base64Url(raw);
    }

    public NonceState Check(string? nonce)
    {
        if (nonce is null || nonce.Length > 64) return NonceState.Invalid;
        Span<byte> raw = stackalloc byte[48];
        if (!TryDecode(nonce, raw, out var length) || length != PayloadLength + MacLength) return NonceState.Invalid;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key, raw[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacLength], raw.Slice(PayloadLength, MacLength))) return NonceState.Invalid;
        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(raw));
        var age = _time.GetUtcNow() - issued;
        return age < TimeSpan.FromSeconds(-5) || age > _lifetime ? NonceState.Stale : NonceState.Valid;
    }

    /// <summary>
    /// Accepts a nonce count if it is above every count seen before with this nonce. Without qop
    /// there is no count (pass 0): the nonce is then good for one request only.
    /// </summary>
    public bool TryUse(string nonce, uint nc)
    {
        Prune();
        var now = _time.GetTimestamp();
        while (true)
        {
            if (!_uses.TryGetValue(nonce, out var last))
            {
                if (_uses.TryAdd(nonce, new NonceUse(nc, now))) return true;
                continue;
            }
            if (nc == 0 || nc <= last.Count) return false;
            if (_uses.TryUpdate(nonce, new NonceUse(nc, last.FirstSeen), last)) return true;
        }
    }

    private void Prune()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastPrune);
        if (_time.GetElapsedTime(last, now) < TimeSpan.FromSeconds(30) || Interlocked.CompareExchange(ref _lastPrune, now, last) != last) return;
        var horizon = _lifetime + TimeSpan.FromSeconds(30);
        foreach (var (nonce, use) in _uses)
        {
            if (_time.GetElapsedTime(use.FirstSeen, now) > horizon) _uses.TryRemove(nonce, out _);
        }
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string text, Span<byte> output, out int length)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += new string('=', (4 - padded.Length % 4) % 4);
        return Convert.TryFromBase64String(padded, output, out length);
    }

    private sealed record NonceUse(uint Count, long FirstSeen);
}
