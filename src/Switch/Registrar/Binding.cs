using System.Net;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Registrar;

/// <summary>
/// One contact bound to an address-of-record (RFC 3261 §10.3), with where the REGISTER really came
/// from: behind NAT the Contact holds a private address, and requests to the phone must go to the
/// source address and port instead (the "received" path).
/// </summary>
public sealed class Binding
{
    public string Aor { get; set; } = "";
    /// <summary>The Contact URI exactly as registered.</summary>
    public string ContactUri { get; set; } = "";
    /// <summary>Contact header parameters other than expires (e.g. +sip.instance, reg-id, q), echoed in responses.</summary>
    public string ContactParams { get; set; } = "";
    public string CallId { get; set; } = "";
    public uint CSeq { get; set; }
    public long ExpiresAtMs { get; set; }
    public long RegisteredAtMs { get; set; }
    public SipTransportKind Transport { get; set; }
    public string SourceAddress { get; set; } = "";
    public int SourcePort { get; set; }
    /// <summary>The TCP connection the registration arrived on (not meaningful after a restart).</summary>
    public long ConnectionId { get; set; }
    public string? UserAgent { get; set; }

    public string Key => BindingKey(Aor, ContactUri);

    /// <summary>
    /// The contact as the Request-URI of requests to the phone: without the URI headers a registrar keeps and
    /// returns (RFC 4475 §3.3.14), see <see cref="SipUri.AsRequestUri"/>. The registrar binds SIP and SIPS
    /// URIs only; a binding stored before it checked is left as it is, and fails its own requests.
    /// </summary>
    public string RequestUri => SipUri.AsRequestUri(ContactUri) ?? ContactUri;

    public static string BindingKey(string aor, string contactUri) => aor + "|" + contactUri;

    /// <summary>Seconds left at <paramref name="nowMs"/>, never negative.</summary>
    public int ExpiresIn(long nowMs) => (int)Math.Max(0, (ExpiresAtMs - nowMs + 999) / 1000);

    /// <summary>Where requests for this contact go: the address the REGISTER came from.</summary>
    public SipEndPoint Destination =>
        new(Transport, new IPEndPoint(IPAddress.Parse(SourceAddress), SourcePort)) { ConnectionId = ConnectionId };
}
