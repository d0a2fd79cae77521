using System.Net;

namespace Hotline.Switch.Sip;

public enum SipTransportKind : byte { Udp, Tcp, Tls, Ws }

/// <summary>
/// Where a message came from or goes to. <see cref="ConnectionId"/> names the TCP connection a
/// request arrived on, so its responses go back over the same connection (RFC 3261 §18.2.2).
/// </summary>
public sealed record SipEndPoint(SipTransportKind Transport, IPEndPoint EndPoint)
{
    public long ConnectionId { get; init; }

    public bool IsReliable => Transport != SipTransportKind.Udp;

    public string TransportName => Transport switch
    {
        SipTransportKind.Udp => "UDP",
        SipTransportKind.Tcp => "TCP",
        SipTransportKind.Tls => "TLS",
        _ => "WS",
    };

    public override string ToString() => $"{TransportName}:{EndPoint}";

    public static bool TryParseTransport(ReadOnlySpan<byte> name, out SipTransportKind kind)
    {
        if (System.Text.Ascii.EqualsIgnoreCase(name, "UDP"u8)) kind = SipTransportKind.Udp;
        else if (System.Text.Ascii.EqualsIgnoreCase(name, "TCP"u8)) kind = SipTransportKind.Tcp;
        else if (System.Text.Ascii.EqualsIgnoreCase(name, "TLS"u8)) kind = SipTransportKind.Tls;
        else if (System.Text.Ascii.EqualsIgnoreCase(name, "WS"u8) || System.Text.Ascii.EqualsIgnoreCase(name, "WSS"u8)) kind = SipTransportKind.Ws;
        else
        {
            kind = default;
            return false;
        }
        return true;
    }
}
