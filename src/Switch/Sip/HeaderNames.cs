using System.Text;

namespace Hotline.Switch.Sip;

/// <summary>
/// Header-name lookup: canonical and compact forms (RFC 3261 §7.3.3 and the IANA registry),
/// case-insensitive, without allocating. A hash of the lower-cased name picks a slot; the
/// candidate is then confirmed byte by byte.
/// </summary>
public static class HeaderNames
{
    private static readonly (HeaderId Id, string Name, char Compact)[] s_known =
    [
        (HeaderId.Via, "Via", 'v'), (HeaderId.From, "From", 'f'), (HeaderId.To, "To", 't'),
        (HeaderId.CallId, "Call-ID", 'i'), (HeaderId.CSeq, "CSeq", '\0'), (HeaderId.Contact, "Contact", 'm'),
        (HeaderId.ContentLength, "Content-Length", 'l'), (HeaderId.ContentType, "Content-Type", 'c'),
        (HeaderId.MaxForwards, "Max-Forwards", '\0'), (HeaderId.Route, "Route", '\0'),
        (HeaderId.RecordRoute, "Record-Route", '\0'), (HeaderId.Expires, "Expires", '\0'),
        (HeaderId.MinExpires, "Min-Expires", '\0'), (HeaderId.Authorization, "Authorization", '\0'),
        (HeaderId.ProxyAuthorization, "Proxy-Authorization", '\0'),
        (HeaderId.WwwAuthenticate, "WWW-Authenticate", '\0'), (HeaderId.ProxyAuthenticate, "Proxy-Authenticate", '\0'),
        (HeaderId.AuthenticationInfo, "Authentication-Info", '\0'), (HeaderId.Allow, "Allow", '\0'),
        (HeaderId.Supported, "Supported", 'k'), (HeaderId.Require, "Require", '\0'),
        (HeaderId.ProxyRequire, "Proxy-Require", '\0'), (HeaderId.Unsupported, "Unsupported", '\0'),
        (HeaderId.Accept, "Accept", '\0'), (HeaderId.AcceptEncoding, "Accept-Encoding", '\0'),
        (HeaderId.AcceptLanguage, "Accept-Language", '\0'), (HeaderId.UserAgent, "User-Agent", '\0'),
        (HeaderId.Server, "Server", '\0'), (HeaderId.Subject, "Subject", 's'), (HeaderId.Timestamp, "Timestamp", '\0'),
        (HeaderId.Date, "Date", '\0'), (HeaderId.Warning, "Warning", '\0'),
        (HeaderId.ContentEncoding, "Content-Encoding", 'e'), (HeaderId.ContentDisposition, "Content-Disposition", '\0'),
        (HeaderId.ContentLanguage, "Content-Language", '\0'), (HeaderId.MimeVersion, "MIME-Version", '\0'),
        (HeaderId.CallInfo, "Call-Info", '\0'), (HeaderId.AlertInfo, "Alert-Info", '\0'),
        (HeaderId.ErrorInfo, "Error-Info", '\0'), (HeaderId.InReplyTo, "In-Reply-To", '\0'),
        (HeaderId.Organization, "Organization", '\0'), (HeaderId.Priority, "Priority", '\0'),
        (HeaderId.ReplyTo, "Reply-To", '\0'), (HeaderId.RetryAfter, "Retry-After", '\0'),
        (HeaderId.Event, "Event", 'o'), (HeaderId.AllowEvents, "Allow-Events", 'u'),
        (HeaderId.SubscriptionState, "Subscription-State", '\0'), (HeaderId.ReferTo, "Refer-To", 'r'),
        (HeaderId.ReferredBy, "Referred-By", 'b'), (HeaderId.Replaces, "Replaces", '\0'),
        (HeaderId.SessionExpires, "Session-Expires", 'x'), (HeaderId.MinSE, "Min-SE", '\0'),
        (HeaderId.RSeq, "RSeq", '\0'), (HeaderId.RAck, "RAck", '\0'),
        (HeaderId.PAssertedIdentity, "P-Asserted-Identity", '\0'), (HeaderId.PPreferredIdentity, "P-Preferred-Identity", '\0'),
        (HeaderId.Privacy, "Privacy", '\0'), (HeaderId.Reason, "Reason", '\0'), (HeaderId.Diversion, "Diversion", '\0'),
        (HeaderId.Path, "Path", '\0'), (HeaderId.ServiceRoute, "Service-Route", '\0'),
        (HeaderId.AcceptContact, "Accept-Contact", 'a'), (HeaderId.RejectContact, "Reject-Contact", 'j'),
        (HeaderId.RequestDisposition, "Request-Disposition", 'd'), (HeaderId.Identity, "Identity", 'y'),
        (HeaderId.IdentityInfo, "Identity-Info", 'n'),
    ];

    private const int TableSize = 512; // power of two, several times the entry count: few collisions
    private static readonly byte[][] s_slotName = new byte[TableSize][];
    private static readonly HeaderId[] s_slotId = new HeaderId[TableSize];
    private static readonly string[] s_canonical = new string[256];
    private static readonly byte[][] s_canonicalBytes = new byte[256][];
    private static readonly HeaderId[] s_compact = new HeaderId[128];

    static HeaderNames()
    {
        foreach (var (id, name, compact) in s_known)
        {
            s_canonical[(int)id] = name;
            s_canonicalBytes[(int)id] = Encoding.ASCII.GetBytes(name);
            Insert(Encoding.ASCII.GetBytes(name), id);
            if (compact != '\0')
            {
                s_compact[compact] = id;
                s_compact[char.ToUpperInvariant(compact)] = id;
            }
        }
    }

    private static void Insert(byte[] name, HeaderId id)
    {
        var slot = Hash(name) & (TableSize - 1);
        while (s_slotName[slot] is not null) slot = (slot + 1) & (TableSize - 1);
        s_slotName[slot] = name;
        s_slotId[slot] = id;
    }

    // FNV-1a over ASCII-lower-cased bytes.
    private static int Hash(ReadOnlySpan<byte> name)
    {
        uint h = 2166136261;
        foreach (var b in name) h = (h ^ (uint)(b | 0x20)) * 16777619;
        return (int)(h ^ (h >> 15));
    }

    /// <summary>Identifies a header name (long or compact form, any case).</summary>
    public static HeaderId Lookup(ReadOnlySpan<byte> name)
    {
        if (name.Length == 1)
        {
            var c = name[0];
            return c < 128 ? s_compact[c] : HeaderId.Extension;
        }
        var slot = Hash(name) & (TableSize - 1);
        while (true)
        {
            var candidate = s_slotName[slot];
            if (candidate is null) return HeaderId.Extension;
            if (candidate.Length == name.Length && System.Text.Ascii.EqualsIgnoreCase(candidate, name)) return s_slotId[slot];
            slot = (slot + 1) & (TableSize - 1);
        }
    }

    public static HeaderId Lookup(string name) => Lookup(Encoding.ASCII.GetBytes(name));

    /// <summary>The canonical (long) name of a known header.</summary>
    public static string Canonical(HeaderId id) => s_canonical[(int)id];

    public static ReadOnlySpan<byte> CanonicalBytes(HeaderId id) => s_canonicalBytes[(int)id];
}
