using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Mwi;

/// <summary>
/// One message-summary subscription: its dialog, its expiry timer, and its NOTIFYs, sent one at a time
/// (a NOTIFY asked for while another is in flight is sent when that one completes, with the state of
/// that moment, so the subscriber always ends on the latest counts).
/// </summary>
internal sealed class MwiSubscription : IDisposable
{
    private readonly MwiNotifier _notifier;
    private readonly object _gate = new();
    private ITimer? _expiry;
    private DateTimeOffset _expiresAt;
    private bool _inFlight;
    private bool _pending;
    private string? _terminateReason;
    private bool _terminatedSent;

    public MwiSubscription(MwiNotifier notifier, Dialog dialog, string account)
    {
        _notifier = notifier;
        Dialog = dialog;
        Account = account;
    }

    public Dialog Dialog { get; }
    public string Account { get; }

    public bool AcceptSequence(SipMessage request)
    {
        lock (_gate)
        {
            if (!Dialog.AcceptRemoteSequence(request)) return false;
            Dialog.LearnFlow(request.Source!);
            return true;
        }
    }

    public void Arm(TimeSpan expires)
    {
        lock (_gate)
        {
            _expiresAt = _notifier.Time.GetUtcNow() + expires;
            _expiry?.Dispose();
            _expiry = _notifier.Time.CreateTimer(static s => ((MwiSubscription)s!).Expire(), this, expires, Timeout.InfiniteTimeSpan);
        }
    }

    private void Expire()
    {
        try
        {
            _notifier.End(this, "timeout"); // RFC 6665 §4.2.2: the final NOTIFY says why
        }
        catch (Exception e)
        {
            // On a timer's thread, where an exception would end the process.
            _notifier.Drop(this, $"its final NOTIFY failed: {e.Message}");
        }
    }

    public void Notify() => Send(null);

    public void Terminate(string reason) => Send(reason);

    private void Send(string? terminate)
    {
        SipMessage notify;
        lock (_gate)
        {
            if (_terminatedSent) return;
            if (terminate is not null)
            {
                _terminateReason = terminate;
                _expiry?.Dispose();
            }
            if (_inFlight)
            {
                _pending = true;
                return;
            }
            notify = Build();
            _inFlight = true;
        }
        var tx = _notifier.Send(notify, Dialog.Destination);
        tx.FinalResponse.ContinueWith(t => Completed(t.Result, tx.Failure), TaskScheduler.Default);
    }

    /// <summary>Builds the next NOTIFY under the lock: CSeq order must match send order.</summary>
    private SipMessage Build()
    {
        string state;
        if (_terminateReason is { } reason)
        {
            state = $"terminated;reason={reason}";
            _terminatedSent = true;
        }
        else
        {
            var left = (int)Math.Ceiling(Math.Max(0, (_expiresAt - _notifier.Time.GetUtcNow()).TotalSeconds));
            state = $"active;expires={left}";
        }
        var w = Dialog.Request(SipMethod.Notify);
        w.Header(HeaderId.Event, MessageSummary.EventPackage);
        w.Header(HeaderId.SubscriptionState, state);
        w.Header(HeaderId.UserAgent, _notifier.UserAgent);
        return w.Body(_notifier.SummaryOf(Account).ToBody(_notifier.AccountUri(Account)), MessageSummary.ContentType).ToMessage();
    }

    private void Completed(SipMessage? response, TransactionFailure? failure)
    {
        if (response is null || response.StatusCode >= 300)
        {
            lock (_gate)
            {
                _inFlight = false;
                _pending = false;
                if (_terminatedSent) return;
                _terminatedSent = true;
            }
            _notifier.Drop(this, response is null ? $"NOTIFY failed ({failure})" : $"NOTIFY answered {response.StatusCode}");
            return;
        }
        bool again;
        lock (_gate)
        {
            _inFlight = false;
            again = _pending && !_terminatedSent;
            _pending = false;
        }
        if (again) Send(null);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _expiry?.Dispose();
            _expiry = null;
        }
    }
}
