using System.Text;

namespace Hotline.Switch.Sip;

/// <summary>Turning header bytes into text.</summary>
public static class SipText
{
    /// <summary>
    /// Decodes UTF-8 and replaces each folded line break (CRLF followed by white space) with one space
    /// (RFC 3261 §7.3.1: folding is equivalent to a single SP).
    /// </summary>
    public static string Unfold(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOfAny((byte)'\r', (byte)'\n') < 0) return Encoding.UTF8.GetString(bytes);
        var sb = new StringBuilder(bytes.Length);
        var text = Encoding.UTF8.GetString(bytes);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\r' or '\n')
            {
                while (i + 1 < text.Length && text[i + 1] is '\r' or '\n' or ' ' or '\t') i++;
                if (sb.Length > 0 && sb[^1] is not (' ' or '\t')) sb.Append(' ');
                continue;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Removes quoted-pair escapes (RFC 3261 §25.1) from the inside of a quoted string.</summary>
    public static string Unquote(ReadOnlySpan<byte> inner)
    {
        if (inner.IndexOf((byte)'\\') < 0) return Unfold(inner);
        var bytes = new byte[inner.Length];
        var n = 0;
        for (var i = 0; i < inner.Length; i++)
        {
            if (inner[i] == (byte)'\\' && i + 1 < inner.Length) i++;
            bytes[n++] = inner[i];
        }
        return Unfold(bytes.AsSpan(0, n));
    }

    /// <summary>A parameter value as text: quotes and escapes removed when quoted.</summary>
    public static string ParamValue(ReadOnlySpan<byte> raw) =>
        raw.Length >= 2 && raw[0] == (byte)'"' && raw[^1] == (byte)'"' ? Unquote(raw[1..^1]) : Unfold(raw);
}
