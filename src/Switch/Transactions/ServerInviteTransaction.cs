using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// INVITE server transaction, RFC 3261 §17.2.1 with RFC 6026 §7.1:
/// Proceeding --2xx--> Accepted (Timer L) ; --3xx-6xx--> Completed (Timer G retransmits, Timer H
/// waits for the ACK) --ACK--> Confirmed (Timer I) --> Terminated.
/// </summary>
public sealed class ServerInviteTransaction : ServerTransaction
{
    private TimeSpan _interval;

    internal ServerInviteTransaction(TransactionLayer layer, string key, SipMessage request) : base(layer, key, request)
    {
        State = TransactionState.Proceeding;
    }

    /// <summary>A CANCEL for this INVITE has been received.</summary>
    public bool Cancelled { get; internal set; }

    /// <summary>Called when Timer H fires: the ACK for our error response never came.</summary>
    public Action<ServerInviteTransaction>? AckTimedOut { get; set; }

    /// <summary>Responses put on the wire, retransmissions included.</summary>
    public int ResponsesSent { get; private set; }

    public override void Respond(SipMessage response)
    {
        Action? after = null;
        lock (Gate)
        {
            var status = response.StatusCode;
            switch (State)
            {
                case TransactionState.Proceeding:
                    ResponsesSent++;
                    after = Send(response);
                    if (after is not null || status < 200) break;
                    if (status < 300)
                    {
                        State = TransactionState.Accepted;
                        ArmTimeout(Timers.TimerL);
                    }
                    else
                    {
                        State = TransactionState.Completed;
                        _interval = Timers.T1;
                        if (!Reliable) ArmRetransmit(_interval);
                        ArmTimeout(Timers.TimerH);
                    }
                    break;
                case TransactionState.Accepted:
                    // The UAS core retransmits its 2xx until the ACK (§13.3.1.4); it passes through here.
                    if (status is >= 200 and < 300)
                    {
                        ResponsesSent++;
                        after = Send(response);
                    }
                    break;
            }
        }
        after?.Invoke();
    }

    internal override void ReceiveRetransmission(SipMessage request)
    {
        Action? after = null;
        lock (Gate)
        {
            if (request.Method == SipMethod.Ack)
            {
                if (State == TransactionState.Completed)
                {
                    State = TransactionState.Confirmed;
                    StopRetransmit();
                    ArmTimeout(Reliable ? TimeSpan.Zero : Timers.TimerI);
                }
                else if (State == TransactionState.Accepted)
                {
                    after = () => Layer.User?.OnAck(request);
                }
            }
            else if (State is TransactionState.Proceeding or TransactionState.Completed && LastResponse is not null)
            {
                // A retransmitted INVITE: repeat the last provisional or the final (§17.2.1).
                ResponsesSent++;
                after = Send(LastResponse);
            }
        }
        after?.Invoke();
    }

    protected override Action? OnRetransmitTimer()
    {
        if (State != TransactionState.Completed || LastResponse is null) return null;
        ResponsesSent++;
        var failed = Send(LastResponse); // Timer G
        if (failed is not null) return failed;
        _interval = _interval * 2 < Timers.T2 ? _interval * 2 : Timers.T2;
        ArmRetransmit(_interval);
        return null;
    }

    protected override Action? OnTimeoutTimer()
    {
        var ackLost = State == TransactionState.Completed; // Timer H
        Terminate();                                       // or Timer I / Timer L
        return ackLost ? () => AckTimedOut?.Invoke(this) : null;
    }
}
