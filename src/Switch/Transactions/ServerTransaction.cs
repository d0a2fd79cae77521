using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// A server transaction (RFC 3261 §17.2). The user answers with <see cref="Respond"/>; the
/// transaction absorbs request retransmissions by re-sending the last response.
/// </summary>
public abstract class ServerTransaction : SipTransaction
{
    protected ServerTransaction(TransactionLayer layer, string key, SipMessage request)
        : base(layer, key, request, request.Source?.IsReliable ?? false)
    {
        ResponseDestination = layer.Sender.ResponseDestination(request);
    }

    public SipEndPoint ResponseDestination { get; }

    public SipMessage? LastResponse { get; protected set; }

    /// <summary>The final response has been sent.</summary>
    public bool HasFinalResponse => LastResponse is { StatusCode: >= 200 };

    /// <summary>Set when sending a response failed (RFC 3261 §17.2.4); the user may clean up.</summary>
    public Action<ServerTransaction>? TransportFailed { get; set; }

    /// <summary>Sends a response through the transaction; responses after the final (other than 2xx to INVITE) are ignored.</summary>
    public abstract void Respond(SipMessage response);

    /// <summary>Builds and sends a response without extra headers; returns it.</summary>
    public SipMessage Respond(int status, string? reason = null, string? toTag = null)
    {
        var response = SipResponses.Create(Request, status, reason, toTag);
        Respond(response);
        return response;
    }

    internal abstract void ReceiveRetransmission(SipMessage request);

    /// <summary>
    /// Sends a final response and ends the transaction at once, as a stateless server would: no
    /// retransmission, nothing kept for 32 s. For challenges and refusals of unauthenticated requests,
    /// so a flood of them costs no state (a lost response is recovered by the client's retransmission,
    /// which is answered afresh).
    /// </summary>
    public void RespondStateless(SipMessage response)
    {
        lock (Gate)
        {
            if (State == TransactionState.Terminated || HasFinalResponse) return;
            LastResponse = response;
            Layer.Sender.Send(response, ResponseDestination);
            Terminate();
        }
    }

    protected Action? Send(SipMessage response)
    {
        LastResponse = response;
        if (Layer.Sender.Send(response, ResponseDestination)) return null;
        Terminate();
        return () => TransportFailed?.Invoke(this);
    }
}
