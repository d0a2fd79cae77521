using System.Buffers;

namespace Hotline.Switch.Sip;

/// <summary>
/// Parses one SIP message from bytes (RFC 3261 §7, grammar of §25). Never throws on bad input:
/// it returns null when not even a start line can be read, and otherwise a message whose
/// <see cref="SipMessage.ParseError"/> names the first thing wrong, with enough parsed for the
/// transport to answer 400 when it can. Parsing continues past a bad header so that Via, From,
/// To, Call-ID and CSeq are still available for that answer.
/// </summary>
public static class SipParser
{
    public static SipMessage? Parse(ReadOnlySpan<byte> data, out string? error)
    {
        if (data.Length > SipMessage.MaxSize)
        {
            error = $"message of {data.Length} bytes exceeds the {SipMessage.MaxSize}-byte limit";
            return null;
        }
        // RFC 3261 §7.5: CRLFs before the start line are ignored (keep-alives, stray line ends).
        var skip = 0;
        while (skip < data.Length && data[skip] is (byte)'\r' or (byte)'\n') skip++;
        data = data[skip..];
        if (data.IsEmpty)
        {
            error = "empty message";
            return null;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(buffer);
        var message = new SipMessage(buffer, data.Length);
        if (!ParseStartLine(message, buffer.AsSpan(0, data.Length), out var headersStart, out error))
        {
            message.Dispose();
            return null;
        }
        ParseHeadersAndBody(message, buffer.AsSpan(0, data.Length), headersStart);
        error = message.ParseError;
        return message;
    }

    private static bool ParseStartLine(SipMessage m, ReadOnlySpan<byte> buf, out int next, out string? error)
    {
        next = 0;
        var lf = buf.IndexOf((byte)'\n');
        if (lf < 0)
        {
            error = "no line end after the start line";
            return false;
        }
        var lineEnd = lf > 0 && buf[lf - 1] == (byte)'\r' ? lf - 1 : lf;
        var line = buf[..lineEnd];
        next = lf + 1;
        var sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0)
        {
            error = "start line has no space";
            return false;
        }
        if (line.StartsWith("SIP/"u8))
        {
            // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase
            m.IsRequest = false;
            if (!System.Text.Ascii.EqualsIgnoreCase(line[..sp1], "SIP/2.0"u8))
            {
                error = "unsupported SIP version in status line";
                return false;
            }
            var rest = line[(sp1 + 1)..];
            var sp2 = rest.IndexOf((byte)' ');
            var code = sp2 < 0 ? rest : rest[..sp2];
            if (code.Length != 3 || !SipNumber.TryParseInt(code, out var status) || status < 100)
            {
                error = "status code is not three digits from 100 to 699";
                return false;
            }
            m.StatusCode = status;
            m.ReasonPhrase = sp2 < 0 ? new ByteRange(line.Length, 0) : ByteRange.FromBounds(sp1 + 1 + sp2 + 1, line.Length);
            error = null;
            return true;
        }
        // Request-Line = Method SP Request-URI SP SIP-Version (single spaces, RFC 3261 §7.1).
        var method = line[..sp1];
        foreach (var b in method)
        {
            if (!SipChars.IsToken(b))
            {
                error = "method is not a token";
                return false;
            }
        }
        m.IsRequest = true;
        m.MethodName = new ByteRange(0, sp1);
        m.Method = SipMethods.Parse(method);
        var trimmed = line.TrimEnd((byte)' ');
        if (trimmed.Length < line.Length)
        {
            m.Fail("white space after the SIP version", 400); // RFC 4475 §3.1.2.10
            line = trimmed;
        }
        var lastSp = line.LastIndexOf((byte)' ');
        if (lastSp <= sp1 || !line[(lastSp + 1)..].StartsWith("SIP/"u8))
        {
            error = "request line does not end in a SIP version";
            return false;
        }
        m.RequestUri = ByteRange.FromBounds(sp1 + 1, lastSp);
        error = null;
        if (!System.Text.Ascii.EqualsIgnoreCase(line[(lastSp + 1)..], "SIP/2.0"u8))
        {
            m.Fail("SIP version not supported", 505);
        }
        CheckRequestUri(m, m.RequestUri.Of(buf));
        return true;
    }

    private static void CheckRequestUri(SipMessage m, ReadOnlySpan<byte> uri)
    {
        if (uri.IsEmpty || uri.IndexOfAny((byte)' ', (byte)'\t') >= 0)
        {
            m.Fail("Request-URI contains white space", 400);
            return;
        }
        if (uri[0] == (byte)'<')
        {
            m.Fail("Request-URI must not be enclosed in <>", 400);
            return;
        }
        if (!SipUri.HasValidScheme(uri))
        {
            m.Fail("Request-URI has no scheme", 400);
            return;
        }
        // Only sip and sips are checked here; other schemes are answered 416 by the core (RFC 3261 §8.2.2.1).
        var isSip = (uri.Length > 4 && System.Text.Ascii.EqualsIgnoreCase(uri[..4], "sip:"u8))
                    || (uri.Length > 5 && System.Text.Ascii.EqualsIgnoreCase(uri[..5], "sips:"u8));
        if (!isSip) return;
        if (!SipUriParts.TryScan(uri, out var parts, out var error))
        {
            m.Fail($"Request-URI: {error}", 400);
            return;
        }
        if (parts.Headers.IsPresent)
        {
            m.Fail("Request-URI must not carry headers", 400); // RFC 3261 §19.1.1 table 1
        }
    }

    private static void ParseHeadersAndBody(SipMessage m, ReadOnlySpan<byte> buf, int pos)
    {
        var seen = new SeenHeaders();
        while (true)
        {
            if (pos >= buf.Length)
            {
                // Headers ran to the end without the empty line; treat as no body.
                m.Body = new ByteRange(buf.Length, 0);
                break;
            }
            if (buf[pos] == (byte)'\n' || (buf[pos] == (byte)'\r' && pos + 1 < buf.Length && buf[pos + 1] == (byte)'\n'))
            {
                pos += buf[pos] == (byte)'\n' ? 1 : 2;
                m.Body = ByteRange.FromBounds(pos, buf.Length);
                break;
            }
            // One logical header line: physical lines joined while the next starts with SP/HT (folding).
            var lineStart = pos;
            int lineEnd;
            while (true)
            {
                var lf = buf[pos..].IndexOf((byte)'\n');
                if (lf < 0)
                {
                    lineEnd = buf.Length;
                    pos = buf.Length;
                    break;
                }
                pos += lf + 1;
                if (pos < buf.Length && buf[pos] is (byte)' ' or (byte)'\t') continue;
                lineEnd = pos - 1;
                if (lineEnd > lineStart && buf[lineEnd - 1] == (byte)'\r') lineEnd--;
                break;
            }
            ParseHeaderLine(m, buf, lineStart, lineEnd, ref seen);
        }
        FinishBody(m, buf);
        CheckRequired(m, ref seen);
    }

    private static void ParseHeaderLine(SipMessage m, ReadOnlySpan<byte> buf, int start, int end, ref SeenHeaders seen)
    {
        var line = buf[start..end];
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            m.Fail("header line without a name and ':'", 400);
            return;
        }
        var nameEnd = colon;
        while (nameEnd > 0 && line[nameEnd - 1] is (byte)' ' or (byte)'\t') nameEnd--;
        var name = line[..nameEnd];
        foreach (var b in name)
        {
            if (!SipChars.IsToken(b))
            {
                m.Fail("header name is not a token", 400);
                return;
            }
        }
        var nameRange = new ByteRange(start, nameEnd);
        var value = NameAddrHeader.TrimLws(buf, ByteRange.FromBounds(start + colon + 1, end));
        var id = HeaderNames.Lookup(name);
        switch (id)
        {
            case HeaderId.Via:
            case HeaderId.Contact:
            case HeaderId.Route:
            case HeaderId.RecordRoute:
                AddList(m, buf, id, nameRange, value, ref seen);
                return;
        }
        m.AddHeader(new HeaderEntry(id, nameRange, value));
        HotHeaders.Parse(m, buf, id, value, ref seen);
    }

    /// <summary>Splits a comma-separated list at commas outside quotes and angle brackets.</summary>
    private static void AddList(SipMessage m, ReadOnlySpan<byte> buf, HeaderId id, ByteRange name, ByteRange value, ref SeenHeaders seen)
    {
        var start = value.Start;
        var inQuotes = false;
        var inAngle = false;
        for (var i = value.Start; i <= value.End; i++)
        {
            if (i < value.End)
            {
                var b = buf[i];
                if (inQuotes)
                {
                    if (b == (byte)'\\') i++;
                    else if (b == (byte)'"') inQuotes = false;
                    continue;
                }
                if (b == (byte)'"') { inQuotes = true; continue; }
                if (b == (byte)'<') { inAngle = true; continue; }
                if (b == (byte)'>') { inAngle = false; continue; }
                if (b != (byte)',' || inAngle) continue;
            }
            var element = NameAddrHeader.TrimLws(buf, ByteRange.FromBounds(start, i));
            start = i + 1;
            if (element.Length == 0)
            {
                if (i < value.End || value.Length == 0) m.Fail($"empty element in {HeaderNames.Canonical(id)} list", 400);
                continue;
            }
            m.AddHeader(new HeaderEntry(id, name, element));
            HotHeaders.Parse(m, buf, id, element, ref seen);
        }
    }

    private static void FinishBody(SipMessage m, ReadOnlySpan<byte> buf)
    {
        var available = m.Body.Length;
        if (m.ContentLength < 0) return; // datagram: the body is the rest (RFC 3261 §18.3)
        if (m.ContentLength > available)
        {
            m.Fail($"Content-Length {m.ContentLength} exceeds the {available} bytes of body received", 400);
            return;
        }
        // Bytes past Content-Length are not part of this message (RFC 3261 §18.3).
        m.Body = new ByteRange(m.Body.Start, m.ContentLength);
    }

    private static void CheckRequired(SipMessage m, ref SeenHeaders seen)
    {
        if (!seen.Via) m.Fail("missing Via header", 400);
        if (!seen.From) m.Fail("missing From header", 400);
        if (!seen.To) m.Fail("missing To header", 400);
        if (!seen.CallId) m.Fail("missing Call-ID header", 400);
        if (!seen.CSeq) m.Fail("missing CSeq header", 400);
        if (m.IsRequest && seen.CSeq && m.CSeq.MethodName.IsPresent
            && !m.Span(m.CSeq.MethodName).SequenceEqual(m.Span(m.MethodName)))
        {
            // An unknown method is what we can't do; say so rather than blame the CSeq (RFC 4475 §3.1.2.18).
            m.Fail("CSeq method does not match the request method", m.Method == SipMethod.Extension ? 501 : 400);
        }
    }
}
