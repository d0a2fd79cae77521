using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>The transaction user (RFC 3261 §5): UAS core, registrar, B2BUA.</summary>
public interface ITransactionUser
{
    /// <summary>A new request with its server transaction; the user must respond on it.</summary>
    void OnRequest(ServerTransaction transaction);

    /// <summary>An ACK that belongs to no transaction: the ACK for a 2xx (§17.1.1.3, §13.3.1.4).</summary>
    void OnAck(SipMessage ack);

    /// <summary>
    /// A CANCEL matched a pending INVITE (§9.2). The layer has already answered the CANCEL with 200;
    /// the user should end the INVITE with 487 if it has not sent a final response.
    /// </summary>
    void OnCancel(ServerInviteTransaction invite, SipMessage cancel);

    /// <summary>A response that matches no client transaction (e.g. a 2xx retransmitted after Timer M).</summary>
    void OnStrayResponse(SipMessage response);
}
