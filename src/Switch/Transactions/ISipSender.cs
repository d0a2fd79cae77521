using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>What the transaction layer needs from the transports.</summary>
public interface ISipSender
{
    /// <summary>Sends a message; false when it certainly failed (no route, connection refused, ICMP error seen).</summary>
    bool Send(SipMessage message, SipEndPoint destination);

    /// <summary>
    /// Where a response to <paramref name="request"/> goes (RFC 3261 §18.2.2, RFC 3581): the
    /// connection it came on, else received/rport, else sent-by.
    /// </summary>
    SipEndPoint ResponseDestination(SipMessage request);
}
