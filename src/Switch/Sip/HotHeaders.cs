namespace Hotline.Switch.Sip;

/// <summary>Which single-instance headers a message has shown so far.</summary>
internal struct SeenHeaders
{
    public bool Via, From, To, CallId, CSeq, ContentLength, MaxForwards;
}

/// <summary>
/// Eager parsing of the headers every layer reads: Via, From, To, Call-ID, CSeq, Content-Length,
/// Max-Forwards, Expires, Content-Type. Single-instance headers that appear twice are an error
/// (RFC 4475 §3.1.2.13).
/// </summary>
internal static class HotHeaders
{
    public static void Parse(SipMessage m, ReadOnlySpan<byte> buf, HeaderId id, ByteRange value, ref SeenHeaders seen)
    {
        string? error;
        switch (id)
        {
            case HeaderId.Via:
                m.ViaCount++;
                if (seen.Via) return; // only the top Via is parsed eagerly
                seen.Via = true;
                if (ViaHeader.TryParse(buf, value, out var via, out error)) m.TopVia = via;
                else m.Fail(error!, 400);
                return;
            case HeaderId.From:
            case HeaderId.To:
                var isFrom = id == HeaderId.From;
                if (isFrom ? seen.From : seen.To)
                {
                    m.Fail($"more than one {HeaderNames.Canonical(id)} header", 400);
                    return;
                }
                if (isFrom) seen.From = true; else seen.To = true;
                if (!NameAddrHeader.TryParse(buf, value, out var na, out error) || na.IsWildcard)
                {
                    m.Fail($"{HeaderNames.Canonical(id)}: {error ?? "'*' is not an address"}", 400);
                    return;
                }
                if (isFrom) m.From = na; else m.To = na;
                return;
            case HeaderId.CallId:
                if (seen.CallId)
                {
                    m.Fail("more than one Call-ID header", 400);
                    return;
                }
                seen.CallId = true;
                if (!IsCallId(value.Of(buf)))
                {
                    m.Fail("Call-ID is empty or not word[@word]", 400);
                    return;
                }
                m.CallIdRange = value;
                return;
            case HeaderId.CSeq:
                if (seen.CSeq)
                {
                    m.Fail("more than one CSeq header", 400);
                    return;
                }
                seen.CSeq = true;
                if (CSeqHeader.TryParse(buf, value, out var cseq, out error)) m.CSeq = cseq;
                else m.Fail(error!, 400);
                return;
            case HeaderId.ContentLength:
                if (!SipNumber.TryParseInt(value.Of(buf), out var length))
                {
                    m.Fail("Content-Length is not a number", 400);
                    return;
                }
                if (seen.ContentLength && length != m.ContentLength)
                {
                    m.Fail("conflicting Content-Length headers", 400);
                    return;
                }
                seen.ContentLength = true;
                m.ContentLength = length;
                return;
            case HeaderId.MaxForwards:
                if (seen.MaxForwards)
                {
                    m.Fail("more than one Max-Forwards header", 400);
                    return;
                }
                seen.MaxForwards = true;
                if (!SipNumber.TryParseInt(value.Of(buf), out var mf) || mf > 255)
                {
                    m.Fail("Max-Forwards is not a number from 0 to 255", 400);
                    return;
                }
                m.MaxForwards = mf;
                return;
            case HeaderId.Expires:
                // delta-seconds; values past 2^32-1 are taken as 2^32-1 (RFC 3261 §20.19 via §25 delta-seconds)
                if (SipNumber.TryParseUInt(value.Of(buf), out var expires)) m.Expires = (int)Math.Min(expires, int.MaxValue);
                else if (IsAllDigits(value.Of(buf))) m.Expires = int.MaxValue;
                else m.Fail("Expires is not delta-seconds", 400);
                return;
            case HeaderId.Contact:
            case HeaderId.Route:
            case HeaderId.RecordRoute:
                if (!NameAddrHeader.TryParse(buf, value, out var addr, out error))
                {
                    m.Fail($"{HeaderNames.Canonical(id)}: {error}", 400);
                    return;
                }
                if (id == HeaderId.Contact && m.ContactCount++ == 0) m.Contact = addr;
                return;
            case HeaderId.ContentType:
                m.ContentType = value;
                return;
            case HeaderId.Date:
                // rfc1123-date always in GMT (RFC 3261 §20.17); other zones are malformed (RFC 4475 §3.1.2.12).
                if (!value.Of(buf).EndsWith(" GMT"u8)) m.Fail("Date is not an RFC 1123 date in GMT", 400);
                return;
        }
    }

    private static bool IsAllDigits(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (var b in s) if (!SipChars.IsDigit(b)) return false;
        return true;
    }

    // callid = word [ "@" word ]
    private static bool IsCallId(ReadOnlySpan<byte> v)
    {
        if (v.IsEmpty) return false;
        var at = v.IndexOf((byte)'@');
        if (at == 0 || at == v.Length - 1) return false;
        for (var i = 0; i < v.Length; i++)
        {
            if (i == at) continue;
            var b = v[i];
            if (b >= 0x80) continue; // UTF-8 in Call-IDs is seen in the wild; harmless as an opaque id
            if (!SipChars.IsWord(b)) return false;
        }
        return true;
    }
}
