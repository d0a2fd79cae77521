using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Hotline.Switch.Trunks;

/// <summary>Address helpers for trunks: source networks (CIDR) and host resolution.</summary>
public static class TrunkAddresses
{
    /// <summary>Parses "192.0.2.7", "192.0.2.0/24" or "2001:db8::/32"; host bits below the prefix are ignored.</summary>
    public static bool TryParseNetwork(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text.Trim() : text[..slash].Trim();
        if (!IPAddress.TryParse(addressText, out var address)) return false;
        address = Normalise(address);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..].Trim(), out prefix) || prefix < 0 || prefix > bits)) return false;
        network = new IPNetwork(Mask(address, prefix), prefix);
        return true;
    }

    /// <summary>
    /// Parses an allowed source: a network as <see cref="TryParseNetwork"/> takes it, or one address
    /// with a port ("127.0.0.1:5080", "[2001:db8::1]:5060") when only that port speaks for the trunk,
    /// e.g. a test peer sharing a host with phones. <paramref name="port"/> is 0 for any port.
    /// </summary>
    public static bool TryParseSource(string text, out IPNetwork network, out int port)
    {
        port = 0;
        text = text.Trim();
        var portSeparator = text.StartsWith('[') ? text.IndexOf("]:", StringComparison.Ordinal) + 1
            : text.Count(c => c == ':') == 1 ? text.IndexOf(':') : -1;
        if (portSeparator > 0)
        {
            if (!int.TryParse(text[(portSeparator + 1)..], out port) || port is < 1 or > 65535)
            {
                network = default;
                return false;
            }
            text = text[..portSeparator].Trim('[', ']');
            return TryParseNetwork(text, out network) && !text.Contains('/');
        }
        return TryParseNetwork(text.Trim('[', ']'), out network);
    }

    /// <summary>IPv4-mapped IPv6 addresses (a dual-stack socket's view of IPv4 peers) as plain IPv4.</summary>
    public static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}

/// <summary>Turns a trunk's host into an address. Literal addresses never touch DNS.</summary>
public interface ITrunkResolver
{
    /// <summary>The address for <paramref name="host"/>, from the cache when fresh; may block on DNS the first time.</summary>
    IPAddress? Resolve(string host);

    ValueTask<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken = default);
}

/// <summary>
/// A/AAAA lookups (IPv4 preferred), cached for five minutes. Trunks are named by host and port here;
/// RFC 3263 NAPTR/SRV selection is not done.
/// </summary>
public sealed class DnsTrunkResolver(TimeProvider time) : ITrunkResolver
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (IPAddress Address, DateTimeOffset At)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public IPAddress? Resolve(string host)
    {
        if (IPAddress.TryParse(host, out var literal)) return TrunkAddresses.Normalise(literal);
        if (Fresh(host) is { } cached) return cached;
        try
        {
            return Remember(host, Dns.GetHostAddresses(host));
        }
        catch (SocketException)
        {
            return Stale(host);
        }
    }

    public async ValueTask<IPAddress?> ResolveAsync(string host, CancellationToken cancellationToken = default)
    {
        if (IPAddress.TryParse(host, out var literal)) return TrunkAddresses.Normalise(literal);
        if (Fresh(host) is { } cached) return cached;
        try
        {
            return Remember(host, await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false));
        }
        catch (SocketException)
        {
            return Stale(host);
        }
    }

    private IPAddress? Fresh(string host) =>
        _cache.TryGetValue(host, out var e) && time.GetUtcNow() - e.At < Lifetime ? e.Address : null;

    /// <summary>A lookup that failed falls back on the last good answer: a DNS hiccup must not take the trunk away.</summary>
    private IPAddress? Stale(string host) => _cache.TryGetValue(host, out var e) ? e.Address : null;

    private IPAddress? Remember(string host, IPAddress[] addresses)
    {
        var pick = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        if (pick is not null) _cache[host] = (pick, time.GetUtcNow());
        return pick ?? Stale(host);
    }
}
