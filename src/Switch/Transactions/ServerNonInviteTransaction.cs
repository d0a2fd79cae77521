using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// Non-INVITE server transaction, RFC 3261 §17.2.2:
/// Trying --1xx--> Proceeding --final--> Completed (Timer J) --> Terminated.
/// </summary>
public sealed class ServerNonInviteTransaction : ServerTransaction
{
    internal ServerNonInviteTransaction(TransactionLayer layer, string key, SipMessage request) : base(layer, key, request)
    {
        State = TransactionState.Trying;
    }

    public int ResponsesSent { get; private set; }

    public override void Respond(SipMessage response)
    {
        Action? after = null;
        lock (Gate)
        {
            if (State is TransactionState.Trying or TransactionState.Proceeding)
            {
                ResponsesSent++;
                after = Send(response);
                if (after is null)
                {
                    if (response.StatusCode < 200) State = TransactionState.Proceeding;
                    else
                    {
                        State = TransactionState.Completed;
                        ArmTimeout(Reliable ? TimeSpan.Zero : Timers.TimerJ);
                    }
                }
            }
        }
        after?.Invoke();
    }

    internal override void ReceiveRetransmission(SipMessage request)
    {
        Action? after = null;
        lock (Gate)
        {
            // Trying: absorb. Proceeding/Completed: repeat the last response.
            if (State is TransactionState.Proceeding or TransactionState.Completed && LastResponse is not null)
            {
                ResponsesSent++;
                after = Send(LastResponse);
            }
        }
        after?.Invoke();
    }

    protected override Action? OnRetransmitTimer() => null;

    protected override Action? OnTimeoutTimer()
    {
        Terminate(); // Timer J
        return null;
    }
}
