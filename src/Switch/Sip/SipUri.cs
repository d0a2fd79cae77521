using System.Text;

namespace Hotline.Switch.Sip;

/// <summary>
/// A SIP, SIPS (RFC 3261 §19.1) or tel (RFC 3966) URI. User and parameter values are kept as
/// written (escaped); <see cref="Unescape"/> gives the decoded form. IPv6 hosts keep their brackets
/// (RFC 5118). Parsed on demand: the parser keeps URIs as byte ranges until someone asks.
/// </summary>
public sealed class SipUri
{
    public string Scheme { get; private init; } = "sip";
    /// <summary>User part as written (escapes intact), or the number of a tel URI; null when absent.</summary>
    public string? User { get; private init; }
    public string? Password { get; private init; }
    /// <summary>Host (with brackets for IPv6); empty for tel URIs.</summary>
    public string Host { get; private init; } = "";
    /// <summary>0 when absent.</summary>
    public int Port { get; private init; }
    public IReadOnlyList<KeyValuePair<string, string?>> Parameters { get; private init; } = [];
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; private init; } = [];

    public bool IsSip => Scheme is "sip" or "sips";
    public bool IsTel => Scheme == "tel";

    /// <summary>The user part decoded from %HH escapes.</summary>
    public string? UserUnescaped => User is null ? null : Unescape(User);

    public string? GetParameter(string name)
    {
        foreach (var p in Parameters)
            if (string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) return p.Value ?? "";
        return null;
    }

    public bool HasParameter(string name) => GetParameter(name) is not null;

    /// <summary>Host and port as "host:port" or "host".</summary>
    public string HostPort => Port > 0 ? $"{Host}:{Port}" : Host;

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri, out var error) ? uri : throw new FormatException($"invalid URI '{text}': {error}");

    /// <summary>
    /// A peer's URI as the Request-URI of a request to it, or null when it cannot be one: a SIP or SIPS URI
    /// only, and without its headers, which no Request-URI carries. RFC 3261 §19.1.5 would let them become
    /// header fields of the request; they are dropped instead, so a peer cannot choose our Route or body.
    /// </summary>
    public static string? AsRequestUri(string text)
    {
        if (!TryParse(text, out var uri, out _) || !uri.IsSip) return null;
        return text.IndexOf('?') is var q and >= 0 ? text[..q] : text;
    }

    public static bool TryParse(string text, out SipUri uri, out string? error) =>
        TryParse(Encoding.UTF8.GetBytes(text), out uri, out error);

    public static bool TryParse(ReadOnlySpan<byte> text, out SipUri uri, out string? error)
    {
        uri = null!;
        // No part of a SIP, SIPS or tel URI has unescaped white space or control characters (RFC 3261 §25.1,
        // RFC 3966 §3); one that had would be refused later as the Request-URI of a request built to it.
        if (text.IndexOfAnyInRange((byte)0, (byte)' ') >= 0 || text.Contains((byte)0x7F))
        {
            error = "white space or a control character in the URI";
            return false;
        }
        var colon = text.IndexOf((byte)':');
        if (colon <= 0 || !HasValidScheme(text))
        {
            error = "missing scheme";
            return false;
        }
        var scheme = Encoding.ASCII.GetString(text[..colon]).ToLowerInvariant();
        if (scheme == "tel") return TryParseTel(text[(colon + 1)..], out uri, out error);
        if (scheme is not ("sip" or "sips"))
        {
            error = $"unsupported URI scheme '{scheme}'";
            return false;
        }
        if (!SipUriParts.TryScan(text, out var parts, out error)) return false;
        var parameters = new List<KeyValuePair<string, string?>>();
        var headers = new List<KeyValuePair<string, string>>();
        // From the ';' of the first parameter, or the '?' of the headers.
        var tailStart = parts.Parameters.Length > 0 ? parts.Parameters.Start - 1
            : parts.Headers.IsPresent ? parts.Headers.Start - 1 : text.Length;
        var tail = text[tailStart..];
        if (!ParseParamsAndHeaders(tail, parameters, headers, out error)) return false;
        uri = new SipUri
        {
            Scheme = scheme,
            User = parts.User.IsPresent ? Encoding.UTF8.GetString(parts.User.Of(text)) : null,
            Password = parts.Password.IsPresent ? Encoding.UTF8.GetString(parts.Password.Of(text)) : null,
            Host = Encoding.ASCII.GetString(parts.Host.Of(text)),
            Port = parts.Port, Parameters = parameters, Headers = headers,
        };
        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<byte> rest, out SipUri uri, out string? error)
    {
        uri = null!;
        var semi = rest.IndexOf((byte)';');
        var number = semi >= 0 ? rest[..semi] : rest;
        if (number.IsEmpty)
        {
            error = "tel URI without a number";
            return false;
        }
        foreach (var b in number)
        {
            // RFC 3966: global numbers "+" digits, local numbers digits and *#A-F, visual separators -.()
            if (!(SipChars.IsDigit(b) || b is (byte)'+' or (byte)'-' or (byte)'.' or (byte)'(' or (byte)')' or (byte)'*' or (byte)'#'
                  || (uint)((b | 0x20) - 'a') <= 'f' - 'a'))
            {
                error = "tel URI number has invalid characters";
                return false;
            }
        }
        var parameters = new List<KeyValuePair<string, string?>>();
        if (!ParseParamsAndHeaders(semi >= 0 ? rest[semi..] : default, parameters, [], out error)) return false;
        uri = new SipUri { Scheme = "tel", User = Encoding.ASCII.GetString(number), Parameters = parameters };
        return true;
    }

    private static bool ParseParamsAndHeaders(ReadOnlySpan<byte> tail, List<KeyValuePair<string, string?>> parameters,
        List<KeyValuePair<string, string>> headers, out string? error)
    {
        var q = tail.IndexOf((byte)'?');
        var paramPart = q >= 0 ? tail[..q] : tail;
        while (!paramPart.IsEmpty)
        {
            if (paramPart[0] != (byte)';')
            {
                error = "unexpected characters after host";
                return false;
            }
            paramPart = paramPart[1..];
            var next = paramPart.IndexOf((byte)';');
            var p = next >= 0 ? paramPart[..next] : paramPart;
            paramPart = next >= 0 ? paramPart[next..] : default;
            if (p.IsEmpty) continue;
            if (!SipUriParts.ValidEscapes(p))
            {
                error = "malformed escape in URI parameter";
                return false;
            }
            var eq = p.IndexOf((byte)'=');
            var name = Encoding.UTF8.GetString(eq >= 0 ? p[..eq] : p);
            if (name.Length == 0)
            {
                error = "URI parameter without a name";
                return false;
            }
            parameters.Add(new(name, eq >= 0 ? Encoding.UTF8.GetString(p[(eq + 1)..]) : null));
        }
        if (q >= 0)
        {
            foreach (var h in Encoding.UTF8.GetString(tail[(q + 1)..]).Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = h.IndexOf('=');
                headers.Add(new(eq >= 0 ? h[..eq] : h, eq >= 0 ? h[(eq + 1)..] : ""));
            }
        }
        error = null;
        return true;
    }

    /// <summary>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986 §3.1).</summary>
    public static bool HasValidScheme(ReadOnlySpan<byte> text)
    {
        var colon = text.IndexOf((byte)':');
        if (colon <= 0 || !SipChars.IsAlpha(text[0])) return false;
        foreach (var b in text[1..colon])
        {
            if (!(SipChars.IsAlpha(b) || SipChars.IsDigit(b) || b is (byte)'+' or (byte)'-' or (byte)'.')) return false;
        }
        return true;
    }

    /// <summary>The scheme of a URI in lower case, or null.</summary>
    public static string? SchemeOf(ReadOnlySpan<byte> text) =>
        HasValidScheme(text) ? Encoding.ASCII.GetString(text[..text.IndexOf((byte)':')]).ToLowerInvariant() : null;

    /// <summary>Decodes %HH escapes (RFC 3261 §19.1.2).</summary>
    public static string Unescape(string s)
    {
        if (!s.Contains('%')) return s;
        var bytes = new List<byte>(s.Length);
        var raw = Encoding.UTF8.GetBytes(s);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == (byte)'%' && i + 2 < raw.Length && SipUriParts.IsHex(raw[i + 1]) && SipUriParts.IsHex(raw[i + 2]))
            {
                bytes.Add(Convert.ToByte(Encoding.ASCII.GetString(raw, i + 1, 2), 16));
                i += 2;
            }
            else bytes.Add(raw[i]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// URI equivalence of RFC 3261 §19.1.4: user and password compare case-sensitively after
    /// unescaping, host case-insensitively, ports must agree, user/ttl/method/maddr/transport
    /// parameters must agree when either side has them, other parameters only when both do,
    /// and headers must all agree.
    /// </summary>
    public bool EquivalentTo(SipUri other)
    {
        if (Scheme != other.Scheme) return false;
        if (!string.Equals(UserUnescaped, other.UserUnescaped, StringComparison.Ordinal)) return false;
        if (!string.Equals(Password is null ? null : Unescape(Password), other.Password is null ? null : Unescape(other.Password), StringComparison.Ordinal)) return false;
        if (!string.Equals(Host, other.Host, StringComparison.OrdinalIgnoreCase) || Port != other.Port) return false;
        foreach (var name in new[] { "user", "ttl", "method", "maddr", "transport" })
        {
            var a = GetParameter(name);
            var b = other.GetParameter(name);
            if (!string.Equals(a is null ? null : Unescape(a), b is null ? null : Unescape(b), StringComparison.OrdinalIgnoreCase)) return false;
        }
        foreach (var p in Parameters)
        {
            var b = other.GetParameter(p.Key);
            if (b is not null && !string.Equals(Unescape(p.Value ?? ""), Unescape(b), StringComparison.OrdinalIgnoreCase)) return false;
        }
        if (Headers.Count != other.Headers.Count) return false;
        foreach (var h in Headers)
        {
            if (!other.Headers.Any(o => string.Equals(o.Key, h.Key, StringComparison.OrdinalIgnoreCase)
                                        && string.Equals(Unescape(o.Value), Unescape(h.Value), StringComparison.Ordinal))) return false;
        }
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Scheme).Append(':');
        if (IsTel) sb.Append(User);
        else
        {
            if (User is not null)
            {
                sb.Append(User);
                if (Password is not null) sb.Append(':').Append(Password);
                sb.Append('@');
            }
            sb.Append(Host);
            if (Port > 0) sb.Append(':').Append(Port);
        }
        foreach (var p in Parameters)
        {
            sb.Append(';').Append(p.Key);
            if (p.Value is not null) sb.Append('=').Append(p.Value);
        }
        for (var i = 0; i < Headers.Count; i++)
        {
            sb.Append(i == 0 ? '?' : '&').Append(Headers[i].Key).Append('=').Append(Headers[i].Value);
        }
        return sb.ToString();
    }

    /// <summary>Builds a sip: URI.</summary>
    public static SipUri Create(string? user, string host, int port = 0, string scheme = "sip", IEnumerable<KeyValuePair<string, string?>>? parameters = null) =>
        new() { Scheme = scheme, User = user, Host = host, Port = port, Parameters = parameters?.ToList() ?? [] };

    /// <summary>This URI with one parameter added or replaced.</summary>
    public SipUri WithParameter(string name, string? value)
    {
        var list = Parameters.Where(p => !string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).ToList();
        list.Add(new(name, value));
        return new SipUri { Scheme = Scheme, User = User, Password = Password, Host = Host, Port = Port, Parameters = list, Headers = Headers };
    }
}
