using System.Text;
using Hotline.Switch.Auth;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Trunks;

/// <summary>One call's slot on a trunk, with what call control needs to send the INVITE there.</summary>
internal sealed class TrunkLease : ITrunkLease
{
    private readonly Trunk _trunk;
    private readonly TrunkCallCounter _counter;
    private int _released;

    public TrunkLease(Trunk trunk, SipEndPoint destination, DigestClient? credentials, TrunkCallCounter counter)
    {
        _trunk = trunk;
        _counter = counter;
        Destination = destination;
        Credentials = credentials;
    }

    public string Trunk => _trunk.Name;
    public SipEndPoint Destination { get; }
    public DigestClient? Credentials { get; }
    public bool Record => _trunk.Record;

    public string RequestUri(string number) => $"sip:{EscapeUser(number)}@{_trunk.UriHost}{_trunk.UriTransport}";

    public string From(string callerId, string? displayName)
    {
        var uri = $"<sip:{EscapeUser(callerId)}@{_trunk.UriHost}>";
        return string.IsNullOrEmpty(displayName) ? uri : $"{QuotedString(displayName)} {uri}";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _counter.Release();
    }

    /// <summary>RFC 3261 §25.1 user part: unreserved and user-unreserved characters as they are, the rest %HH (e.g. '#').</summary>
    internal static string EscapeUser(string user)
    {
        var sb = new StringBuilder(user.Length);
        foreach (var b in Encoding.UTF8.GetBytes(user))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || "-_.!~*'()&=+$,;?/".Contains(c)) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

    /// <summary>A display name as a quoted-string (§25.1): quotes and backslashes escaped, line breaks dropped.</summary>
    internal static string QuotedString(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            if (c is '\r' or '\n') continue;
            if (c is '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}
