using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Trunks;

/// <summary>The requests the switch sends to a trunk outside calls: REGISTER (RFC 3261 §10.2) and OPTIONS (§11).</summary>
internal static class TrunkRequests
{
    /// <summary>§10.2: the Request-URI names the registrar's domain, without a user part.</summary>
    public static string RegistrarUri(Trunk trunk) => $"sip:{trunk.UriHost}";

    public static string Aor(Trunk trunk) => $"sip:{trunk.Username}@{trunk.UriHost}";

    public static string ContactUri(Trunk trunk, LocalContact local) =>
        $"sip:{trunk.Username}@{local.HostPort}{trunk.UriTransport}";

    public static SipMessage Register(Trunk trunk, LocalContact local, string callId, string fromTag, uint cseq, int expires,
        string userAgent, (HeaderId Header, string Value)? authorization)
    {
        var aor = Aor(trunk);
        var w = SipMessageWriter.Request(SipMethod.Register, RegistrarUri(trunk));
        w.Header(HeaderId.Via, local.Via(trunk.Transport, SipIds.NewBranch()));
        w.Header(HeaderId.MaxForwards, 70);
        // §10.2: To and From both carry the AOR; Call-ID stays the same for all registrations of this boot (§10.2.4).
        w.Header(HeaderId.From, $"<{aor}>;tag={fromTag}");
        w.Header(HeaderId.To, $"<{aor}>");
        w.Header(HeaderId.CallId, callId);
        w.Header(HeaderId.CSeq, $"{cseq} REGISTER");
        w.Header(HeaderId.Contact, local.Contact(trunk.Username!, trunk.Transport));
        w.Header(HeaderId.Expires, expires);
        w.Header(HeaderId.UserAgent, userAgent);
        if (authorization is { } a) w.Header(a.Header, a.Value);
        return w.NoBody().ToMessage();
    }

    public static SipMessage Options(Trunk trunk, LocalContact local, string userAgent)
    {
        var w = SipMessageWriter.Request(SipMethod.Options, $"sip:{trunk.UriHost}{trunk.UriTransport}");
        w.Header(HeaderId.Via, local.Via(trunk.Transport, SipIds.NewBranch()));
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"<sip:{(string.IsNullOrEmpty(trunk.Username) ? "hotline" : trunk.Username)}@{local.HostPort}>;tag={SipIds.NewTag()}");
        w.Header(HeaderId.To, $"<sip:{trunk.UriHost}>");
        w.Header(HeaderId.CallId, SipIds.NewCallId(local.Host));
        w.Header(HeaderId.CSeq, "1 OPTIONS");
        w.Header(HeaderId.Accept, "application/sdp");
        w.Header(HeaderId.UserAgent, userAgent);
        return w.NoBody().ToMessage();
    }
}
