using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// INVITE client transaction, RFC 3261 §17.1.1 with RFC 6026 §7.2:
/// Calling --1xx--> Proceeding --2xx--> Accepted (Timer M) ; --3xx-6xx--> Completed (ACK sent, Timer D).
/// Timer A retransmits over UDP (doubling, no cap), Timer B gives up in Calling.
/// </summary>
public sealed class ClientInviteTransaction : ClientTransaction
{
    private TimeSpan _interval;
    private SipMessage? _ack;

    internal ClientInviteTransaction(TransactionLayer layer, string key, SipMessage request, SipEndPoint destination)
        : base(layer, key, request, destination)
    {
        State = TransactionState.Calling;
    }

    /// <summary>How many times the INVITE was sent (1 + retransmissions).</summary>
    public int Transmissions { get; private set; }

    public override void Start()
    {
        Action? after;
        lock (Gate)
        {
            Transmissions = 1;
            after = SendRequest();
            if (after is null)
            {
                _interval = Timers.T1;
                if (!Reliable) ArmRetransmit(_interval);
                ArmTimeout(Timers.TimerB);
            }
        }
        after?.Invoke();
    }

    protected override Action? OnRetransmitTimer()
    {
        if (State != TransactionState.Calling) return null;
        Transmissions++;
        var failed = SendRequest();
        if (failed is not null) return failed;
        _interval *= 2;
        ArmRetransmit(_interval);
        return null;
    }

    protected override Action? OnTimeoutTimer()
    {
        switch (State)
        {
            case TransactionState.Calling:
                return Fail(TransactionFailure.Timeout); // Timer B
            case TransactionState.Completed:            // Timer D
            case TransactionState.Accepted:             // Timer M
                Terminate();
                return null;
            default:
                return null;
        }
    }

    internal override void ReceiveResponse(SipMessage response)
    {
        Action? after = null;
        lock (Gate)
        {
            var status = response.StatusCode;
            switch (State)
            {
                case TransactionState.Calling:
                case TransactionState.Proceeding:
                    StopRetransmit();
                    if (status < 200)
                    {
                        if (State == TransactionState.Calling) StopTimeout(); // Timer B only guards Calling
                        State = TransactionState.Proceeding;
                        after = Deliver(response, final: false);
                    }
                    else if (status < 300)
                    {
                        State = TransactionState.Accepted;
                        ArmTimeout(Timers.TimerM);
                        after = Deliver(response, final: true);
                    }
                    else
                    {
                        State = TransactionState.Completed;
                        _ack = SipRequests.CreateAckForNon2xx(Request, response);
                        Layer.Sender.Send(_ack, Destination);
                        after = Deliver(response, final: true);
                        ArmTimeout(Reliable ? TimeSpan.Zero : Timers.TimerD);
                    }
                    break;
                case TransactionState.Accepted:
                    // 2xx retransmissions (or 2xx from other forks) go to the TU, which ACKs them (RFC 6026 §7.2).
                    if (status is >= 200 and < 300) after = Deliver(response, final: false);
                    break;
                case TransactionState.Completed:
                    // A retransmitted final: re-send the ACK, tell nobody (§17.1.1.2).
                    if (status >= 300 && _ack is not null) Layer.Sender.Send(_ack, Destination);
                    break;
            }
        }
        after?.Invoke();
    }
}
