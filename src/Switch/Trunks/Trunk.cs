using System.Net;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Trunks;

/// <summary>
/// A SIP trunk to a carrier or another PBX: where it is, how it knows us (registration with digest
/// credentials, and/or the addresses its calls come from), how numbers are written for it, and the
/// limits that guard it against toll fraud. <see cref="Password"/> is write-only: the repository
/// keeps it, and every trunk it hands out has it null (see <see cref="HasPassword"/>).
/// </summary>
public sealed record Trunk
{
    public string Name { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public string Host { get; init; } = "";
    public int Port { get; init; } = 5060;
    public SipTransportKind Transport { get; init; } = SipTransportKind.Udp;
    /// <summary>The carrier's SIP domain for Request-URIs and From/To; the host (and port) when empty.</summary>
    public string? Domain { get; init; }

    /// <summary>Our account at the carrier: the AOR user we register and the digest user name.</summary>
    public string? Username { get; init; }
    /// <summary>Digest user name when it differs from <see cref="Username"/>.</summary>
    public string? AuthUsername { get; init; }
    /// <summary>Write-only: set it to change the password, leave it null to keep the stored one.</summary>
    public string? Password { get; init; }
    /// <summary>Whether a password is stored (the password itself is never handed out).</summary>
    public bool HasPassword { get; init; }

    /// <summary>Register to the trunk (RFC 3261 §10.2) so it can send us calls.</summary>
    public bool Register { get; init; }
    /// <summary>The registration lifetime we ask for, in seconds; the registrar may grant less.</summary>
    public int RegisterExpires { get; init; } = 3600;
    /// <summary>
    /// Addresses and networks (CIDR) whose requests belong to this trunk without authentication;
    /// "address:port" narrows one address to one port.
    /// </summary>
    public IReadOnlyList<string> AllowedSources { get; init; } = [];

    /// <summary>The number presented as caller ID (the site's main number); <see cref="Username"/> when empty.</summary>
    public string? CallerId { get; init; }
    /// <summary>Present the caller's own number when it is a public one (a forwarded PSTN caller), else <see cref="CallerId"/>.</summary>
    public bool PassCallerNumber { get; init; }
    public NumberFormat CallerIdFormat { get; init; } = NumberFormat.National;
    /// <summary>How the trunk wants dialled numbers in the Request-URI.</summary>
    public NumberFormat DialFormat { get; init; } = NumberFormat.National;

    /// <summary>Calls at once; 0 for no limit.</summary>
    public int MaxConcurrentCalls { get; init; }
    /// <summary>New calls in any 60 s; 0 for no limit. A burst of calls is the signature of toll fraud.</summary>
    public int MaxCallsPerMinute { get; init; }
    public bool Record { get; init; }
    /// <summary>OPTIONS keep-alive interval in seconds; 0 turns it off (the trunk is then always up).</summary>
    public int OptionsIntervalSeconds { get; init; }
    /// <summary>Consecutive unanswered OPTIONS that mark the trunk down.</summary>
    public int OptionsFailuresToDown { get; init; } = 3;
    public string Source { get; init; } = "admin";

    /// <summary>The digest user name answering challenges.</summary>
    public string? DigestUser => string.IsNullOrEmpty(AuthUsername) ? Username : AuthUsername;

    /// <summary>Host part for URIs: the domain, else host:port (port left out when 5060).</summary>
    public string UriHost => !string.IsNullOrEmpty(Domain) ? Domain
        : Port == 5060 ? BracketIpv6(Host) : $"{BracketIpv6(Host)}:{Port}";

    /// <summary>";transport=tcp" for URIs of a TCP trunk (RFC 3261 §19.1.1).</summary>
    public string UriTransport => Transport == SipTransportKind.Tcp ? ";transport=tcp" : "";

    private static string BracketIpv6(string host) =>
        IPAddress.TryParse(host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{host}]" : host;

    /// <summary>What is wrong with the trunk, each message naming its field under <paramref name="where"/>; empty when valid.</summary>
    public IEnumerable<string> Problems(string where)
    {
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            yield return $"{where}:Name '{Name}' must be letters, digits, - _ or .";
        if (string.IsNullOrWhiteSpace(Host) || Uri.CheckHostName(Host) == UriHostNameType.Unknown)
            yield return $"{where}:Host '{Host}' must be a host name or an IP address";
        if (Port is < 1 or > 65535) yield return $"{where}:Port {Port} must be between 1 and 65535";
        if (Transport is not (SipTransportKind.Udp or SipTransportKind.Tcp)) yield return $"{where}:Transport '{Transport}' must be Udp or Tcp";
        if (Domain is { Length: > 0 } d && Uri.CheckHostName(d.Split(':')[0]) == UriHostNameType.Unknown)
            yield return $"{where}:Domain '{Domain}' must be a host name";
        if (Register)
        {
            if (string.IsNullOrWhiteSpace(Username)) yield return $"{where}:Username is needed to register";
            if (RegisterExpires is < 60 or > 86400) yield return $"{where}:RegisterExpires {RegisterExpires} must be between 60 and 86400 seconds";
        }
        if (Username is { Length: > 0 } u && !u.All(c => char.IsAsciiLetterOrDigit(c) || "-_.!~*'+".Contains(c)))
            yield return $"{where}:Username '{Username}' has characters a SIP user part cannot carry unescaped";
        for (var i = 0; i < AllowedSources.Count; i++)
        {
            if (!TrunkAddresses.TryParseSource(AllowedSources[i], out _, out _))
                yield return $"{where}:AllowedSources:{i} '{AllowedSources[i]}' is not an IP address, address:port or CIDR network";
        }
        if (CallerId is { Length: > 0 } cid && !OutboundRoute.IsDialString(cid, allowEmpty: false))
            yield return $"{where}:CallerId '{CallerId}' must be a number";
        if (!Enum.IsDefined(CallerIdFormat)) yield return $"{where}:CallerIdFormat '{CallerIdFormat}' is not National, E164 or E164NoPlus";
        if (!Enum.IsDefined(DialFormat)) yield return $"{where}:DialFormat '{DialFormat}' is not National, E164 or E164NoPlus";
        if (MaxConcurrentCalls < 0) yield return $"{where}:MaxConcurrentCalls {MaxConcurrentCalls} must not be negative";
        if (MaxCallsPerMinute < 0) yield return $"{where}:MaxCallsPerMinute {MaxCallsPerMinute} must not be negative";
        if (OptionsIntervalSeconds is < 0 or > 3600) yield return $"{where}:OptionsIntervalSeconds {OptionsIntervalSeconds} must be between 0 and 3600";
        if (OptionsFailuresToDown is < 1 or > 100) yield return $"{where}:OptionsFailuresToDown {OptionsFailuresToDown} must be between 1 and 100";
    }

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"Trunk {Name} {Transport} {Host}:{Port}{(Enabled ? "" : " (disabled)")}";
}
