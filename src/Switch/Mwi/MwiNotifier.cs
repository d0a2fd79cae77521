using System.Collections.Concurrent;
using Hotline.Switch.Accounts;
using Hotline.Switch.Core;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Mwi;

/// <summary>
/// The message-summary notifier (RFC 3842 over RFC 6665). A phone SUBSCRIBEs for an account (the
/// Request-URI user, e.g. its extension or a hotline's mailbox); it gets 200 with the granted Expires, an
/// immediate NOTIFY with the counts, a NOTIFY whenever they change (<see cref="Changed"/>), one on each
/// refresh, and a final "terminated" NOTIFY when it unsubscribes (Expires: 0) or lets the subscription
/// run out. Phones that never subscribe can be sent unsolicited NOTIFYs (to every registered contact,
/// whenever the counts change and when the phone registers), which most desk phones accept.
/// NOTIFYs of one subscription go out one at a time, the latest state last.
/// </summary>
public sealed class MwiNotifier : IRequestHandler, IDisposable
{
    private readonly TransactionLayer _layer;
    private readonly LocalContact _local;
    private readonly IMessageSummarySource _source;
    private readonly MwiOptions _options;
    private readonly BindingTable? _bindings;
    private readonly string _userAgent;
    private readonly string _domain;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string CallId, string Tag), MwiSubscription> _subscriptions = new();

    public MwiNotifier(TransactionLayer layer, LocalContact local, IMessageSummarySource source, MwiOptions options,
        string domain, string userAgent, BindingTable? bindings, ILogger logger)
    {
        options.Validate();
        _layer = layer;
        _local = local;
        _source = source;
        _options = options;
        _domain = domain;
        _userAgent = userAgent;
        _bindings = bindings;
        _logger = logger;
        if (_bindings is not null) _bindings.Changed += OnBindingChanged;
    }

    public int SubscriptionCount => _subscriptions.Count;

    /// <summary>The accounts watched now, one entry per subscription (for the panel).</summary>
    public IReadOnlyList<string> WatchedAccounts => _subscriptions.Values.Select(s => s.Account).ToList();

    internal TimeProvider Time => _layer.Time;

    /// <summary>A SUBSCRIBE outside any dialog, authenticated by the core (caller null: none authenticated, refused).</summary>
    public void Handle(ServerTransaction transaction, Extension? caller)
    {
        var request = transaction.Request;
        if (!IsMessageSummary(request))
        {
            Respond(transaction, 489, extra: w => w.Header(HeaderId.AllowEvents, MessageSummary.EventPackage)); // RFC 6665 §4.2.1.1
            return;
        }
        if (!AcceptsSummary(request))
        {
            Respond(transaction, 406, extra: w => w.Header(HeaderId.Accept, MessageSummary.ContentType));
            return;
        }
        var account = Account(request);
        if (account is null || _source.Summary(account) is null)
        {
            Respond(transaction, 404);
            return;
        }
        if (!_source.MaySubscribe(caller?.Number, account))
        {
            Respond(transaction, 403);
            return;
        }
        if (!GrantExpires(transaction, out var expires)) return;
        var tag = SipIds.NewTag();
        var dialog = Dialog.ForUas(_local, request, tag);
        dialog.Confirmed = true;
        Respond(transaction, 200, tag, w =>
        {
            w.Header(HeaderId.Expires, expires);
            w.Header(HeaderId.Contact, _local.Contact("hotline", request.Source!.Transport));
        });
        var subscription = new MwiSubscription(this, dialog, account);
        if (expires == 0)
        {
            // A fetch (RFC 6665 §4.4.3): one NOTIFY with the state, and the subscription is over.
            subscription.Terminate("timeout");
            return;
        }
        _subscriptions[(dialog.CallId, tag)] = subscription;
        subscription.Arm(TimeSpan.FromSeconds(expires));
        _logger.LogInformation("MWI subscription {CallId} for {Account} from {Source}, {Expires} s", dialog.CallId, account, request.Source, expires);
        subscription.Notify();
    }

    /// <summary>An in-dialog SUBSCRIBE (refresh or unsubscribe); false when it belongs to no subscription of ours.</summary>
    public bool HandleInDialog(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (!_subscriptions.TryGetValue((request.CallId, request.Text(request.To.Tag)), out var subscription)) return false;
        if (!IsMessageSummary(request))
        {
            Respond(transaction, 489, extra: w => w.Header(HeaderId.AllowEvents, MessageSummary.EventPackage));
            return true;
        }
        if (!subscription.AcceptSequence(request))
        {
            RespondWithReason(transaction, 500, "CSeq out of order"); // RFC 3261 §12.2.2
            return true;
        }
        if (!GrantExpires(transaction, out var expires)) return true;
        Respond(transaction, 200, extra: w => w.Header(HeaderId.Expires, expires));
        if (expires == 0)
        {
            _logger.LogInformation("MWI subscription {CallId} for {Account} ended by the subscriber", request.CallId, subscription.Account);
            End(subscription, "timeout"); // RFC 6665 §4.1.2.3: unsubscribing triggers a final NOTIFY
            return true;
        }
        subscription.Arm(TimeSpan.FromSeconds(expires));
        subscription.Notify();
        return true;
    }

    /// <summary>The counts of <paramref name="account"/> changed: NOTIFY its subscribers and, where configured, its phones unsolicited.</summary>
    public void Changed(string account)
    {
        foreach (var s in _subscriptions.Values)
        {
            if (s.Account == account) s.Notify();
        }
        SendUnsolicited(account, only: null);
    }

    private void OnBindingChanged(BindingChange change)
    {
        if (change.Kind != BindingChangeKind.Added) return;
        // A phone that just registered learns the state of every account it gets unsolicited NOTIFYs for.
        foreach (var account in _source.UnsolicitedAccounts(change.Binding.Aor)) SendUnsolicited(account, change.Binding);
    }

    /// <summary>NOTIFYs <paramref name="account"/>'s counts to its phones, or to the one binding just registered.</summary>
    private void SendUnsolicited(string account, Binding? only)
    {
        if (_bindings is null) return;
        var targets = _source.UnsolicitedTargets(account);
        if (targets.Count == 0) return;
        var summary = _source.Summary(account) ?? default;
        foreach (var extension in targets)
        {
            if (only is not null && extension != only.Aor) continue;
            foreach (var binding in only is null ? _bindings.Lookup(extension) : [only])
            {
                var w = SipMessageWriter.Request(SipMethod.Notify, binding.RequestUri);
                w.Header(HeaderId.Via, _local.Via(binding.Transport, SipIds.NewBranch()));
                w.Header(HeaderId.MaxForwards, 70);
                w.Header(HeaderId.From, $"<sip:{account}@{_domain}>;tag={SipIds.NewTag()}");
                w.Header(HeaderId.To, $"<sip:{extension}@{_domain}>");
                w.Header(HeaderId.CallId, SipIds.NewCallId(_local.Host));
                w.Header(HeaderId.CSeq, "1 NOTIFY");
                w.Header(HeaderId.Contact, _local.Contact("hotline", binding.Transport));
                w.Header(HeaderId.Event, MessageSummary.EventPackage);
                w.Header(HeaderId.SubscriptionState, "active");
                w.Header(HeaderId.UserAgent, _userAgent);
                w.Body(summary.ToBody(AccountUri(account)), MessageSummary.ContentType);
                var tx = _layer.CreateClient(w.ToMessage(), binding.Destination);
                tx.Start();
            }
        }
    }

    internal string AccountUri(string account) => $"sip:{account}@{_domain}";

    internal MessageSummary SummaryOf(string account) => _source.Summary(account) ?? default;

    internal string UserAgent => _userAgent;

    internal ClientTransaction Send(SipMessage notify, SipEndPoint destination)
    {
        var tx = _layer.CreateClient(notify, destination);
        tx.Start();
        return tx;
    }

    internal void End(MwiSubscription subscription, string reason)
    {
        _subscriptions.TryRemove(new KeyValuePair<(string, string), MwiSubscription>((subscription.Dialog.CallId, subscription.Dialog.LocalTag), subscription));
        subscription.Terminate(reason);
    }

    /// <summary>The subscriber refused or never answered a NOTIFY: the subscription is gone (RFC 6665 §4.2.2).</summary>
    internal void Drop(MwiSubscription subscription, string why)
    {
        _logger.LogInformation("MWI subscription {CallId} for {Account} dropped: {Why}", subscription.Dialog.CallId, subscription.Account, why);
        _subscriptions.TryRemove(new KeyValuePair<(string, string), MwiSubscription>((subscription.Dialog.CallId, subscription.Dialog.LocalTag), subscription));
        subscription.Dispose();
    }

    private bool GrantExpires(ServerTransaction transaction, out int expires)
    {
        var asked = transaction.Request.Expires;
        expires = asked >= 0 ? asked : _options.DefaultExpires;
        if (expires > 0 && expires < _options.MinExpires)
        {
            Respond(transaction, 423, extra: w => w.Header(HeaderId.MinExpires, _options.MinExpires)); // RFC 6665 §4.2.1.1
            return false;
        }
        expires = Math.Min(expires, _options.MaxExpires);
        return true;
    }

    private static bool IsMessageSummary(SipMessage request)
    {
        var value = request.GetHeader(HeaderId.Event);
        if (value is null) return false;
        var package = value.Split(';')[0].Trim();
        return package.Equals(MessageSummary.EventPackage, StringComparison.OrdinalIgnoreCase);
    }

    private static bool AcceptsSummary(SipMessage request)
    {
        var accept = request.GetTokens(HeaderId.Accept);
        if (accept.Count == 0) return true;
        return accept.Exists(a => a.Split(';')[0].Trim() is var t
            && (t.Equals(MessageSummary.ContentType, StringComparison.OrdinalIgnoreCase) || t == "*/*" || t.Equals("application/*", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>RFC 3842 §3.7: the Request-URI names the account; phones that put their own AOR there mean their own box.</summary>
    private static string? Account(SipMessage request)
    {
        if (SipUri.TryParse(request.Span(request.RequestUri), out var uri, out _) && (uri.IsTel ? uri.User : uri.UserUnescaped) is { Length: > 0 } user)
            return user;
        return SipUri.TryParse(request.Span(request.To.Uri), out var to, out _) ? to.UserUnescaped : null;
    }

    private void Respond(ServerTransaction transaction, int status, string? toTag = null, Action<SipMessageWriter>? extra = null) =>
        RespondWithReason(transaction, status, null, toTag, extra);

    private void RespondWithReason(ServerTransaction transaction, int status, string? reason, string? toTag = null, Action<SipMessageWriter>? extra = null)
    {
        var w = SipResponses.Start(transaction.Request, status, reason, toTag ?? (status > 100 ? SipIds.NewTag() : null));
        w.Header(HeaderId.Server, _userAgent);
        extra?.Invoke(w);
        transaction.Respond(w.NoBody().ToMessage());
    }

    public void Dispose()
    {
        if (_bindings is not null) _bindings.Changed -= OnBindingChanged;
        foreach (var s in _subscriptions.Values) s.Dispose();
        _subscriptions.Clear();
    }
}
