namespace Hotline.Switch.Sip;

/// <summary>host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1, RFC 5118).</summary>
internal static class SipHost
{
    public static bool TryRead(ref SipLexer lx, ReadOnlySpan<byte> buf, out ByteRange host)
    {
        host = ByteRange.None;
        var start = lx.Position;
        if (lx.Peek == (byte)'[')
        {
            while (!lx.AtEnd && lx.Peek != (byte)']') lx.Position++;
            if (lx.AtEnd) return false;
            lx.Position++;
            host = ByteRange.FromBounds(start, lx.Position);
            return IsIPv6Reference(host.Of(buf));
        }
        while (!lx.AtEnd && IsHostChar(lx.Peek)) lx.Position++;
        if (lx.Position == start) return false;
        host = ByteRange.FromBounds(start, lx.Position);
        return IsValidHostName(host.Of(buf));
    }

    public static bool TryReadPort(ref SipLexer lx, ReadOnlySpan<byte> buf, out int port)
    {
        var start = lx.Position;
        while (!lx.AtEnd && SipChars.IsDigit(lx.Peek)) lx.Position++;
        return SipNumber.TryParseInt(buf[start..lx.Position], out port) && port is > 0 and <= 65535;
    }

    private static bool IsHostChar(byte b) => SipChars.IsAlpha(b) || SipChars.IsDigit(b) || b is (byte)'-' or (byte)'.' or (byte)'_';

    /// <summary>An IPv6 reference with its brackets; the address inside must parse as IPv6 (RFC 5118 §4.1-4.3).</summary>
    public static bool IsIPv6Reference(ReadOnlySpan<byte> text)
    {
        if (text.Length < 4 || text[0] != (byte)'[' || text[^1] != (byte)']') return false;
        var inner = text[1..^1];
        if (inner.IndexOf((byte)':') < 0 || inner.Length > 45) return false;
        // Hex digits, colons and dots only. "2001:db8:::192.0.2.1" is tolerated although not an
        // address: RFC 5118 §4.10 asks parsers to be liberal about the RFC 3261 ABNF's three colons.
        foreach (var b in inner)
        {
            if (!(SipUriParts.IsHex(b) || b is (byte)':' or (byte)'.')) return false;
        }
        return true;
    }

    /// <summary>hostname or IPv4 address: labels of alphanumerics and hyphens, no empty label in the middle.</summary>
    public static bool IsValidHostName(ReadOnlySpan<byte> host)
    {
        if (host.IsEmpty || host[0] == (byte)'.' || host[0] == (byte)'-') return false;
        for (var i = 1; i < host.Length; i++)
        {
            if (host[i] == (byte)'.' && host[i - 1] == (byte)'.') return false;
        }
        return true;
    }
}
