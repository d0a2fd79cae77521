namespace Hotline.Switch.Transactions;

/// <summary>States of the four machines of RFC 3261 §17, with RFC 6026's Accepted.</summary>
public enum TransactionState
{
    Calling,     // client INVITE, request sent
    Trying,      // non-INVITE, request sent (client) or received (server)
    Proceeding,  // provisional seen
    Completed,   // final non-2xx (INVITE) or any final (non-INVITE)
    Accepted,    // RFC 6026: 2xx to INVITE, waiting out retransmissions
    Confirmed,   // server INVITE: ACK received
    Terminated,
}

/// <summary>Why a client transaction ended without a final response.</summary>
public enum TransactionFailure
{
    Timeout,        // Timer B or F (RFC 3261 §17.1.1.2, §17.1.2.2): the caller maps it to 408
    TransportError, // §17.1.4: the caller maps it to 503
}
