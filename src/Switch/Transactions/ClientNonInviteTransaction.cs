using Hotline.Switch.Sip;

namespace Hotline.Switch.Transactions;

/// <summary>
/// Non-INVITE client transaction, RFC 3261 §17.1.2:
/// Trying --1xx--> Proceeding --final--> Completed (Timer K) --> Terminated.
/// Timer E retransmits over UDP (doubling up to T2; at T2 once Proceeding), Timer F gives up.
/// </summary>
public sealed class ClientNonInviteTransaction : ClientTransaction
{
    private TimeSpan _interval;

    internal ClientNonInviteTransaction(TransactionLayer layer, string key, SipMessage request, SipEndPoint destination)
        : base(layer, key, request, destination)
    {
        State = TransactionState.Trying;
    }

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
                ArmTimeout(Timers.TimerF);
            }
        }
        after?.Invoke();
    }

    protected override Action? OnRetransmitTimer()
    {
        if (State is not (TransactionState.Trying or TransactionState.Proceeding)) return null;
        Transmissions++;
        var failed = SendRequest();
        if (failed is not null) return failed;
        _interval = State == TransactionState.Proceeding ? Timers.T2 : Min(_interval * 2, Timers.T2);
        ArmRetransmit(_interval);
        return null;
    }

    protected override Action? OnTimeoutTimer()
    {
        if (State is TransactionState.Trying or TransactionState.Proceeding) return Fail(TransactionFailure.Timeout); // Timer F
        Terminate(); // Timer K
        return null;
    }

    internal override void ReceiveResponse(SipMessage response)
    {
        Action? after = null;
        lock (Gate)
        {
            if (State is TransactionState.Trying or TransactionState.Proceeding)
            {
                if (response.StatusCode < 200)
                {
                    State = TransactionState.Proceeding;
                    after = Deliver(response, final: false);
                }
                else
                {
                    State = TransactionState.Completed;
                    StopRetransmit();
                    after = Deliver(response, final: true);
                    ArmTimeout(Reliable ? TimeSpan.Zero : Timers.TimerK);
                }
            }
            // Completed: retransmitted finals are absorbed.
        }
        after?.Invoke();
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
