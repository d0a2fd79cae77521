namespace Hotline.Switch.Sip;

/// <summary>Requests derived from other requests, as RFC 3261 prescribes them.</summary>
public static class SipRequests
{
    /// <summary>
    /// The ACK a client INVITE transaction sends for a 3xx–6xx (§17.1.1.3): same Request-URI,
    /// Call-ID, From, CSeq number and top Via as the INVITE, To from the response, the INVITE's Routes.
    /// </summary>
    public static SipMessage CreateAckForNon2xx(SipMessage invite, SipMessage response)
    {
        var w = SipMessageWriter.Request(SipMethod.Ack, invite.RequestUriText);
        w.Header(HeaderId.Via, invite.Span(invite.TopVia.Value));
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, invite.Span(invite.From.Value));
        w.Header(HeaderId.To, response.Span(response.To.Value));
        w.Header(HeaderId.CallId, invite.Span(invite.CallIdRange));
        w.Append("CSeq: "u8).Append(invite.CSeq.Number).Append(" ACK\r\n"u8);
        w.CopyHeaders(invite, HeaderId.Route);
        return w.NoBody().ToMessage();
    }

    /// <summary>
    /// A CANCEL for an INVITE (§9.1): same Request-URI, Call-ID, To, From, CSeq number and top Via
    /// (so it reaches the same server transaction), with the INVITE's Routes.
    /// </summary>
    public static SipMessage CreateCancel(SipMessage invite, string? reason = null)
    {
        var w = SipMessageWriter.Request(SipMethod.Cancel, invite.RequestUriText);
        w.Header(HeaderId.Via, invite.Span(invite.TopVia.Value));
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, invite.Span(invite.From.Value));
        w.Header(HeaderId.To, invite.Span(invite.To.Value));
        w.Header(HeaderId.CallId, invite.Span(invite.CallIdRange));
        w.Append("CSeq: "u8).Append(invite.CSeq.Number).Append(" CANCEL\r\n"u8);
        w.CopyHeaders(invite, HeaderId.Route);
        if (reason is not null) w.Header(HeaderId.Reason, reason); // RFC 3326
        return w.NoBody().ToMessage();
    }
}
