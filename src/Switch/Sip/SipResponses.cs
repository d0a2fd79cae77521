using System.Net;

namespace Hotline.Switch.Sip;

/// <summary>Builds responses to requests as RFC 3261 §8.2.6 prescribes.</summary>
public static class SipResponses
{
    /// <summary>
    /// Starts a response: status line, the request's Vias (the top one with received/rport per
    /// §18.2.1 and RFC 3581), From, To (with <paramref name="toTag"/> added when the request's To has
    /// none and the status is above 100), Call-ID and CSeq; Timestamp is echoed on 100 (§8.2.6.1).
    /// The caller adds its own headers and ends with Body/NoBody.
    /// </summary>
    public static SipMessageWriter Start(SipMessage request, int status, string? reason = null, string? toTag = null)
    {
        var w = SipMessageWriter.Response(status, reason ?? ReasonPhrase(status));
        var first = true;
        foreach (var via in request.Headers(HeaderId.Via))
        {
            if (first && request.Source is { } source) WriteTopVia(w, request, source);
            else w.Header(HeaderId.Via, request.Span(via));
            first = false;
        }
        // A malformed request may lack some of these; the 400 copies what there is.
        if (request.From.Uri.IsPresent) w.Header(HeaderId.From, request.Span(request.From.Value));
        if (request.To.Uri.IsPresent)
        {
            w.Header(HeaderId.To, request.Span(request.To.Value));
            if (!request.To.Tag.IsPresent && status > 100 && toTag is not null)
            {
                // Append the tag to the To line just written: step back over its CRLF.
                w.Unwrite(2).Append(";tag=").Append(toTag).Append("\r\n"u8);
            }
        }
        if (request.CallIdRange.IsPresent) w.Header(HeaderId.CallId, request.Span(request.CallIdRange));
        w.Append("CSeq: "u8).Append(request.CSeq.Number).Append(' ').Append(request.Span(request.CSeq.MethodName)).Append("\r\n"u8);
        if (status == 100) w.CopyHeaders(request, HeaderId.Timestamp);
        return w;
    }

    /// <summary>A complete response without body.</summary>
    public static SipMessage Create(SipMessage request, int status, string? reason = null, string? toTag = null) =>
        Start(request, status, reason, toTag).NoBody().ToMessage();

    private static void WriteTopVia(SipMessageWriter w, SipMessage request, SipEndPoint source)
    {
        var via = request.TopVia;
        var buf = request.Bytes;
        var sourceIp = source.EndPoint.Address.IsIPv4MappedToIPv6 ? source.EndPoint.Address.MapToIPv4() : source.EndPoint.Address;
        var sourceText = sourceIp.ToString();
        var host = via.Host.Of(buf);
        var hostText = System.Text.Encoding.ASCII.GetString(host.Length > 1 && host[0] == (byte)'[' ? host[1..^1] : host);
        var sameHost = IPAddress.TryParse(hostText, out var hostIp) && hostIp.Equals(sourceIp);
        var addReceived = !sameHost || via.RPort >= 0;
        w.Append("Via: "u8).Append(buf[via.Value.Start..via.Parameters.Start].TrimEnd(" \t"u8));
        var e = new SipParamEnumerator(buf, via.Parameters);
        while (e.MoveNext())
        {
            var name = e.Name.Of(buf);
            if (System.Text.Ascii.EqualsIgnoreCase(name, "received"u8)) continue;
            w.Append(';').Append(name);
            if (System.Text.Ascii.EqualsIgnoreCase(name, "rport"u8))
            {
                w.Append('=').Append(source.EndPoint.Port);
                continue;
            }
            if (e.Value.IsPresent) w.Append('=').Append(e.Value.Of(buf));
        }
        if (addReceived) w.Append(";received=").Append(sourceText);
        w.Append("\r\n"u8);
    }

    public static string ReasonPhrase(int status) => status switch
    {
        100 => "Trying",
        180 => "Ringing",
        181 => "Call Is Being Forwarded",
        182 => "Queued",
        183 => "Session Progress",
        200 => "OK",
        202 => "Accepted",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Moved Temporarily",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        410 => "Gone",
        413 => "Request Entity Too Large",
        415 => "Unsupported Media Type",
        416 => "Unsupported URI Scheme",
        420 => "Bad Extension",
        421 => "Extension Required",
        422 => "Session Interval Too Small",
        423 => "Interval Too Brief",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        482 => "Loop Detected",
        483 => "Too Many Hops",
        484 => "Address Incomplete",
        485 => "Ambiguous",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        489 => "Bad Event",
        491 => "Request Pending",
        493 => "Undecipherable",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Server Time-out",
        505 => "Version Not Supported",
        513 => "Message Too Large",
        600 => "Busy Everywhere",
        603 => "Decline",
        604 => "Does Not Exist Anywhere",
        606 => "Not Acceptable",
        _ => status < 200 ? "Progress" : status < 300 ? "OK" : "Error",
    };
}
