using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// A client transaction (RFC 3261 §17.1). The user learns of responses through
/// <see cref="ResponseReceived"/> and of failures through <see cref="Failed"/>, or awaits
/// <see cref="FinalResponse"/>; both are set before <see cref="Start"/>.
/// </summary>
public abstract class ClientTransaction : SipTransaction
{
    private readonly TaskCompletionSource<SipMessage?> _final = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected ClientTransaction(TransactionLayer layer, string key, SipMessage request, SipEndPoint destination)
        : base(layer, key, request, destination.IsReliable)
    {
        Destination = destination;
    }

    public SipEndPoint Destination { get; }

    /// <summary>Every response the user should see: provisionals, the final, and (INVITE) 2xx retransmissions.</summary>
    public Action<ClientTransaction, SipMessage>? ResponseReceived { get; set; }

    /// <summary>Timeout (Timer B/F) or transport error.</summary>
    public Action<ClientTransaction, TransactionFailure>? Failed { get; set; }

    /// <summary>The first final response, or null when the transaction failed.</summary>
    public Task<SipMessage?> FinalResponse => _final.Task;

    public SipMessage? LastResponse { get; protected set; }

    public TransactionFailure? Failure { get; private set; }

    /// <summary>Sends the request and starts the timers.</summary>
    public abstract void Start();

    internal abstract void ReceiveResponse(SipMessage response);

    /// <summary>§17.1.4: a transport failure ends the transaction as if it had timed out, reported as such.</summary>
    internal void TransportError()
    {
        Action? after = null;
        lock (Gate)
        {
            if (State is not (TransactionState.Terminated or TransactionState.Completed or TransactionState.Accepted))
                after = Fail(TransactionFailure.TransportError);
        }
        after?.Invoke();
    }

    /// <summary>Sends the request; on a transport error terminates and returns the notification.</summary>
    protected Action? SendRequest()
    {
        if (Layer.Sender.Send(Request, Destination)) return null;
        return Fail(TransactionFailure.TransportError);
    }

    protected Action Fail(TransactionFailure failure)
    {
        Failure = failure;
        Terminate();
        return () =>
        {
            _final.TrySetResult(null);
            Failed?.Invoke(this, failure);
        };
    }

    protected Action Deliver(SipMessage response, bool final)
    {
        LastResponse = response;
        return () =>
        {
            ResponseReceived?.Invoke(this, response);
            if (final) _final.TrySetResult(response);
        };
    }
}
