namespace Hotline.Switch.Sip;

/// <summary>
/// A (name-addr / addr-spec) *(;param) value, as in From, To, Contact, Route, Record-Route,
/// Refer-To, P-Asserted-Identity (RFC 3261 §20.10). In addr-spec form everything after the first
/// ';' is a header parameter, not a URI parameter (§20.10).
/// </summary>
public readonly struct NameAddrHeader
{
    public ByteRange Value { get; init; }
    /// <summary>Display name without its quotes; quoted-pair escapes still in place when <see cref="DisplayNameQuoted"/>.</summary>
    public ByteRange DisplayName { get; init; }
    public bool DisplayNameQuoted { get; init; }
    public ByteRange Uri { get; init; }
    /// <summary>Header parameters after the URI, starting at the first ';'.</summary>
    public ByteRange Parameters { get; init; }
    public ByteRange Tag { get; init; }
    /// <summary>Contact: * (RFC 3261 §10.2.2, remove all bindings).</summary>
    public bool IsWildcard { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> buf, ByteRange value, out NameAddrHeader header, out string? error)
    {
        header = default;
        var lx = new SipLexer(buf, value);
        lx.SkipLws();
        var display = ByteRange.None;
        var quoted = false;
        ByteRange uri;
        if (lx.Peek == (byte)'*')
        {
            lx.Position++;
            var rest = ByteRange.FromBounds(lx.Position, value.End);
            header = new NameAddrHeader { Value = value, IsWildcard = true, Uri = ByteRange.None, DisplayName = ByteRange.None, Parameters = rest, Tag = ByteRange.None };
            error = null;
            return true;
        }
        if (lx.Peek == (byte)'"')
        {
            if (!lx.TryReadQuoted(out display))
            {
                error = "unterminated quoted display name";
                return false;
            }
            quoted = true;
            lx.SkipLws();
            if (lx.Peek != (byte)'<')
            {
                error = "quoted display name not followed by <URI>";
                return false;
            }
        }
        var open = IndexOfUnquoted(buf, lx.Position, value.End, (byte)'<');
        if (open >= 0)
        {
            if (!quoted)
            {
                // Unquoted display name: *(token LWS) before '<'.
                var d = TrimLws(buf, ByteRange.FromBounds(lx.Position, open));
                foreach (var b in d.Of(buf))
                {
                    if (!SipChars.IsToken(b) && !SipChars.IsLws(b))
                    {
                        error = "display name has characters that need quotes";
                        return false;
                    }
                }
                display = d.Length > 0 ? d : ByteRange.None;
            }
            var close = buf[(open + 1)..value.End].IndexOf((byte)'>');
            if (close < 0)
            {
                error = "'<' without matching '>'";
                return false;
            }
            close += open + 1;
            uri = ByteRange.FromBounds(open + 1, close);
            if (uri.Length > 0 && (SipChars.IsLws(buf[uri.Start]) || SipChars.IsLws(buf[uri.End - 1])))
            {
                error = "white space inside <>";
                return false;
            }
            lx.Position = close + 1;
        }
        else
        {
            var start = lx.Position;
            while (!lx.AtEnd && lx.Peek != (byte)';' && !SipChars.IsLws(lx.Peek)) lx.Position++;
            uri = ByteRange.FromBounds(start, lx.Position);
            if (uri.Of(buf).IndexOfAny((byte)'?', (byte)',') >= 0)
            {
                // §20.10: a URI with a comma, question mark or semicolon must be in name-addr form.
                error = "URI with '?' or ',' must be enclosed in <>";
                return false;
            }
        }
        if (uri.Length <= 0 || uri.Of(buf).IndexOf((byte)':') < 0)
        {
            error = "missing or malformed URI";
            return false;
        }
        var parameters = ByteRange.FromBounds(lx.Position, value.End);
        var tag = ByteRange.None;
        var e = new SipParamEnumerator(buf, parameters);
        while (e.MoveNext())
        {
            if (System.Text.Ascii.EqualsIgnoreCase(e.Name.Of(buf), "tag"u8)) tag = e.Value;
        }
        if (e.Malformed)
        {
            error = "malformed header parameters";
            return false;
        }
        header = new NameAddrHeader
        {
            Value = value, DisplayName = display, DisplayNameQuoted = quoted, Uri = uri, Parameters = parameters, Tag = tag,
        };
        error = null;
        return true;
    }

    internal static int IndexOfUnquoted(ReadOnlySpan<byte> buf, int start, int end, byte target)
    {
        var inQuotes = false;
        for (var i = start; i < end; i++)
        {
            var b = buf[i];
            if (inQuotes)
            {
                if (b == (byte)'\\') i++;
                else if (b == (byte)'"') inQuotes = false;
            }
            else if (b == (byte)'"') inQuotes = true;
            else if (b == target) return i;
        }
        return -1;
    }

    internal static ByteRange TrimLws(ReadOnlySpan<byte> buf, ByteRange r)
    {
        int s = r.Start, e = r.End;
        while (s < e && SipChars.IsLws(buf[s])) s++;
        while (e > s && SipChars.IsLws(buf[e - 1])) e--;
        return ByteRange.FromBounds(s, e);
    }
}
