using Hotline.Switch.Sip;

namespace Hotline.Switch.Transport;

/// <summary>
/// Finds message boundaries in a TCP byte stream (RFC 3261 §18.3): headers end at the first empty
/// line, and Content-Length says how much body follows.
/// </summary>
public static class SipFraming
{
    public enum Result { NeedMore, Message, KeepAlive, TooLarge }

    /// <summary>
    /// Looks at the start of <paramref name="data"/>. <see cref="Result.KeepAlive"/> means a CRLF
    /// keep-alive of <paramref name="length"/> bytes (RFC 5626 §3.5.1 "ping" is a double CRLF);
    /// <see cref="Result.Message"/> means one whole message of <paramref name="length"/> bytes.
    /// </summary>
    public static Result Next(ReadOnlySpan<byte> data, out int length, out bool pingNeedsPong)
    {
        length = 0;
        pingNeedsPong = false;
        var crlf = 0;
        while (crlf < data.Length && data[crlf] is (byte)'\r' or (byte)'\n') crlf++;
        if (crlf > 0)
        {
            // A lone trailing CR may be the first half of a CRLF still in flight.
            if (crlf == data.Length && data[crlf - 1] == (byte)'\r') return Result.NeedMore;
            length = crlf;
            pingNeedsPong = data[..crlf].IndexOf("\r\n\r\n"u8) >= 0;
            return Result.KeepAlive;
        }
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return data.Length > SipMessage.MaxSize ? Result.TooLarge : Result.NeedMore;
        }
        var headers = data[..(end + 2)];
        var bodyLength = ContentLength(headers);
        var total = end + 4 + bodyLength;
        if (total > SipMessage.MaxSize) return Result.TooLarge;
        if (data.Length < total) return Result.NeedMore;
        length = total;
        return Result.Message;
    }

    /// <summary>Content-Length (or "l") from a header block; 0 when missing or unreadable (the parser then reports it).</summary>
    public static int ContentLength(ReadOnlySpan<byte> headers)
    {
        var pos = 0;
        while (pos < headers.Length)
        {
            var lf = headers[pos..].IndexOf((byte)'\n');
            var line = lf < 0 ? headers[pos..] : headers[pos..(pos + lf)];
            pos = lf < 0 ? headers.Length : pos + lf + 1;
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = line[..colon].TrimEnd(" \t"u8);
            if (!System.Text.Ascii.EqualsIgnoreCase(name, "Content-Length"u8) && !System.Text.Ascii.EqualsIgnoreCase(name, "l"u8)) continue;
            var value = line[(colon + 1)..].Trim(" \t\r"u8);
            var n = 0;
            foreach (var b in value)
            {
                if ((uint)(b - '0') > 9) return 0;
                n = n * 10 + (b - '0');
                if (n > SipMessage.MaxSize) return SipMessage.MaxSize + 1;
            }
            return n;
        }
        return 0;
    }
}
