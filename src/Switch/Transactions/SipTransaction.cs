using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Transactions;

/// <summary>
/// Common ground of the four transaction machines: identity, state, and timers from the
/// layer's <see cref="TimeProvider"/>. Each transaction guards its state with its own lock; callbacks
/// to the transaction user run after the lock is released so a user may call back in.
/// </summary>
public abstract class SipTransaction
{
    protected readonly object Gate = new();
    private ITimer? _retransmit;
    private ITimer? _timeout;

    protected SipTransaction(TransactionLayer layer, string key, SipMessage request, bool reliable)
    {
        Layer = layer;
        Key = key;
        Request = request;
        Reliable = reliable;
    }

    public TransactionLayer Layer { get; }
    public string Key { get; }
    public SipMessage Request { get; }
    public TransactionState State { get; protected set; }
    /// <summary>Over a reliable transport nothing is retransmitted and the linger timers are zero (§17).</summary>
    public bool Reliable { get; }
    public bool IsTerminated => State == TransactionState.Terminated;

    protected SipTimers Timers => Layer.Timers;

    /// <summary>(Re)arms the retransmission timer (A, E or G).</summary>
    protected void ArmRetransmit(TimeSpan due)
    {
        _retransmit?.Dispose();
        _retransmit = Layer.Time.CreateTimer(static s => ((SipTransaction)s!).FireRetransmit(), this, due, Timeout.InfiniteTimeSpan);
    }

    protected void StopRetransmit()
    {
        _retransmit?.Dispose();
        _retransmit = null;
    }

    /// <summary>(Re)arms the timeout or linger timer (B, D, F, H, I, J, K, L, M); zero fires at once.</summary>
    protected void ArmTimeout(TimeSpan due)
    {
        _timeout?.Dispose();
        _timeout = null;
        if (due <= TimeSpan.Zero)
        {
            FireTimeout();
            return;
        }
        _timeout = Layer.Time.CreateTimer(static s => ((SipTransaction)s!).FireTimeout(), this, due, Timeout.InfiniteTimeSpan);
    }

    protected void StopTimeout()
    {
        _timeout?.Dispose();
        _timeout = null;
    }

    private void FireRetransmit()
    {
        Action? after;
        lock (Gate)
        {
            if (State == TransactionState.Terminated) return;
            after = OnRetransmitTimer();
        }
        Tell(after);
    }

    private void FireTimeout()
    {
        Action? after;
        lock (Gate)
        {
            if (State == TransactionState.Terminated) return;
            after = OnTimeoutTimer();
        }
        Tell(after);
    }

    // On a timer's thread: an exception from the transaction user (a timeout handler) would end the process.
    private void Tell(Action? after)
    {
        try
        {
            after?.Invoke();
        }
        catch (Exception e)
        {
            Layer.Logger.LogError(e, "{Method} transaction {Key}: its user failed on a timer", Request.MethodText, Key);
        }
    }

    /// <summary>Runs under the lock; returns what to tell the user once the lock is released.</summary>
    protected abstract Action? OnRetransmitTimer();

    protected abstract Action? OnTimeoutTimer();

    /// <summary>Enters Terminated and leaves the layer's table. Call under the lock.</summary>
    protected void Terminate()
    {
        State = TransactionState.Terminated;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _retransmit = _timeout = null;
        Layer.Remove(this);
    }

    public override string ToString() => $"{GetType().Name} {Key} {State}";
}
