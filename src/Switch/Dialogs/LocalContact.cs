using System.Net;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Dialogs;

/// <summary>How the switch names itself in Via and Contact: the advertised address and port.</summary>
public sealed record LocalContact(string Host, int Port)
{
    public static LocalContact From(IPEndPoint endPoint) =>
        new(endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString(), endPoint.Port);

    public string HostPort => $"{Host}:{Port}";

    public string Via(SipTransportKind transport, string branch) =>
        $"SIP/2.0/{(transport == SipTransportKind.Udp ? "UDP" : "TCP")} {HostPort};branch={branch};rport";

    public string Contact(string user, SipTransportKind transport) =>
        transport == SipTransportKind.Udp ? $"<sip:{user}@{HostPort}>" : $"<sip:{user}@{HostPort};transport=tcp>";
}
