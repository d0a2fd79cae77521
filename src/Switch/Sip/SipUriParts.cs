namespace Hotline.Switch.Sip;

/// <summary>
/// The pieces of a SIP/SIPS URI as ranges of the text it was scanned from (RFC 3261 §19.1.1):
/// scanning allocates nothing, so the parser can check every Request-URI on the hot path.
/// </summary>
public readonly struct SipUriParts
{
    public ByteRange Scheme { get; init; }
    public ByteRange User { get; init; }
    public ByteRange Password { get; init; }
    public ByteRange Host { get; init; }
    public int Port { get; init; }
    /// <summary>";a=b;c" after host and port, without the leading ';'; empty when none.</summary>
    public ByteRange Parameters { get; init; }
    /// <summary>"h=v&amp;…" after '?'; <see cref="ByteRange.None"/> when there is no '?'.</summary>
    public ByteRange Headers { get; init; }

    /// <summary>Scans a sip: or sips: URI; errors name what is wrong.</summary>
    public static bool TryScan(ReadOnlySpan<byte> text, out SipUriParts parts, out string? error)
    {
        parts = default;
        var colon = text.IndexOf((byte)':');
        if (colon <= 0 || !SipUri.HasValidScheme(text))
        {
            error = "missing scheme";
            return false;
        }
        var scheme = new ByteRange(0, colon);
        var pos = colon + 1;
        ByteRange user = ByteRange.None, password = ByteRange.None;
        var at = text[pos..].IndexOf((byte)'@');
        if (at >= 0)
        {
            var userinfo = text.Slice(pos, at);
            var pc = userinfo.IndexOf((byte)':');
            user = new ByteRange(pos, pc >= 0 ? pc : at);
            if (pc >= 0) password = ByteRange.FromBounds(pos + pc + 1, pos + at);
            if (user.Length == 0 || !ValidEscapes(userinfo))
            {
                error = "malformed user part";
                return false;
            }
            pos += at + 1;
        }
        var lx = new SipLexer(text, ByteRange.FromBounds(pos, text.Length));
        if (!SipHost.TryRead(ref lx, text, out var host))
        {
            error = "malformed host";
            return false;
        }
        var port = 0;
        if (lx.Peek == (byte)':')
        {
            lx.Position++;
            if (!SipHost.TryReadPort(ref lx, text, out port))
            {
                error = "malformed port";
                return false;
            }
        }
        var rest = text[lx.Position..];
        var q = rest.IndexOf((byte)'?');
        var paramText = q >= 0 ? rest[..q] : rest;
        if (!paramText.IsEmpty && paramText[0] != (byte)';')
        {
            error = "unexpected characters after host";
            return false;
        }
        if (!ValidEscapes(rest) || paramText.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            error = "malformed parameters";
            return false;
        }
        parts = new SipUriParts
        {
            Scheme = scheme, User = user, Password = password, Host = host, Port = port,
            Parameters = paramText.IsEmpty ? new ByteRange(lx.Position, 0) : new ByteRange(lx.Position + 1, paramText.Length - 1),
            Headers = q >= 0 ? ByteRange.FromBounds(lx.Position + q + 1, text.Length) : ByteRange.None,
        };
        error = null;
        return true;
    }

    internal static bool ValidEscapes(ReadOnlySpan<byte> s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != (byte)'%') continue;
            if (i + 2 >= s.Length || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) return false;
            i += 2;
        }
        return true;
    }

    internal static bool IsHex(byte b) => SipChars.IsDigit(b) || (uint)((b | 0x20) - 'a') <= 'f' - 'a';
}
