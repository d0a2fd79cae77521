using Hotline.Switch.Cdrs;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// Call transfer (RFC 3515 REFER with RFC 3420 sipfrag progress in NOTIFY). Blind: the switch dials the
/// Refer-To target for the party who stays, and connects them on answer. Attended (RFC 3891 Replaces in
/// the Refer-To): the transferor's other call already reaches the target, so the two remote parties are
/// joined. Media is anchored here, so neither remote party is re-INVITEd: only the bridge changes.
/// </summary>
internal sealed partial class Call
{
    private sealed class TransferState(CallLeg transferor, CallLeg staying, string referTo)
    {
        public CallLeg Transferor { get; } = transferor;
        public CallLeg Staying { get; } = staying;
        public string ReferTo { get; } = referTo;
        public List<Fork> Forks { get; } = [];
        public bool Done { get; set; }
        public Queue<TrunkAttempt> Attempts { get; } = new();
        public IMediaLeg? Media { get; set; }
        /// <summary>Started by the switch (an agent's transfer from the panel or a flow), not by a REFER: no NOTIFYs.</summary>
        public bool ByCommand { get; init; }
        public TaskCompletionSource<bool>? Completion { get; init; }
    }

    /// <summary>
    /// A blind transfer the switch makes itself: the party other than <paramref name="transferrer"/> is
    /// connected to <paramref name="target"/>, and the transferrer is hung up once that answers. The call's
    /// variables stay with it. Completes with whether the target answered.
    /// </summary>
    internal void TransferByCommand(string transferrer, RouteTarget target, TaskCompletionSource<bool> completion)
    {
        var from = _a?.Peer == transferrer ? _a : _b?.Peer == transferrer ? _b : null;
        var staying = from == _a ? _b : _a;
        if (State != CallState.Answered || from is null || staying is null || _transfer is { Done: false }
            || target.Kind is not (RouteTargetKind.Extension or RouteTargetKind.External))
        {
            completion.TrySetResult(false);
            return;
        }
        _transfer = new TransferState(from, staying, target.Value) { ByCommand = true, Completion = completion };
        StartBlindTransfer(target.Value);
    }

    private TransferState? _transfer;
    private ITimer? _transferorTimer;

    private void OnRefer(CallLeg transferor, ServerTransaction tx)
    {
        var request = tx.Request;
        var tag = transferor.Dialog.LocalTag;
        var staying = transferor == _a ? _b : _a;
        var referTo = request.First(HeaderId.ReferTo);
        if (State != CallState.Answered || staying is null || _transfer is { Done: false })
        {
            _ctx.Core.Respond(tx, 491, toTag: tag); // nothing to transfer now, or a transfer is under way
            return;
        }
        if (!referTo.IsPresent || !NameAddrHeader.TryParse(request.Bytes, referTo, out var target, out _)
            || !SipUri.TryParse(request.Span(target.Uri), out var uri, out _) || uri.User is null)
        {
            _ctx.Core.Respond(tx, 400, "Bad Refer-To", toTag: tag);
            return;
        }
        _ctx.Core.Respond(tx, 202, toTag: tag);
        _transfer = new TransferState(transferor, staying, request.Text(target.Uri));
        Notify(transferor, "100 Trying", final: false);
        var replaces = uri.Headers.FirstOrDefault(h => h.Key.Equals("Replaces", StringComparison.OrdinalIgnoreCase)).Value;
        if (replaces is not null)
        {
            StartAttendedTransfer(SipUri.Unescape(replaces));
            return;
        }
        StartBlindTransfer(uri.IsTel ? uri.User : uri.UserUnescaped!);
    }

    private void StartBlindTransfer(string number)
    {
        var t = _transfer!;
        var transferorExtension = _ctx.Bindings.Lookup(t.Transferor.Peer).Count > 0 || t.Transferor.Peer.All(char.IsAsciiDigit) ? t.Transferor.Peer : null;
        var presented = t.Staying.Peer.Contains(':') ? t.Staying.Peer[(t.Staying.Peer.IndexOf(':') + 1)..] : t.Staying.Peer;
        // The transferor's permissions decide where the call may go: a transfer must not open a way around the toll-fraud guard.
        var decision = _ctx.Router.Route(new RoutingRequest(number, transferorExtension, transferorExtension is null ? InboundTrunk : null,
            presented, null, _ctx.Time.GetUtcNow()));
        _logger.LogInformation("call {CallId}: {Transferor} transfers {Staying} to {Target}", Id, t.Transferor.Peer, t.Staying.Peer, number);
        if (decision.Rejected || decision.Target.Kind is not (RouteTargetKind.Extension or RouteTargetKind.External))
        {
            FinishTransfer(decision.Rejected ? decision.RejectStatus : 404);
            return;
        }
        try
        {
            t.Media = _ctx.Media.CreateLeg($"{Id}/T", near: t.Staying.Media);
        }
        catch (MediaUnavailableException e)
        {
            _logger.LogWarning("call {CallId}: transfer refused: {Reason}", Id, e.Message);
            FinishTransfer(503);
            return;
        }
        _ownedMedia.Add(t.Media);
        var identity = $"<sip:{presented}@{_ctx.Domain}>";
        if (decision.Target.Kind == RouteTargetKind.Extension)
        {
            var bindings = _ctx.Bindings.Lookup(decision.Target.Value);
            foreach (var b in bindings)
            {
                var dialog = Dialog.ForUac(_ctx.Local, SipIds.NewCallId(_ctx.Local.Host), SipIds.NewTag(), identity,
                    $"<sip:{decision.Target.Value}@{_ctx.Domain}>", b.RequestUri, b.Destination);
                var fork = new Fork(dialog, b.Destination, decision.Target.Value, null, t.Media, forTransfer: true);
                t.Forks.Add(fork);
                SendInvite(fork);
            }
            if (bindings.Count == 0) FinishTransfer(480);
            return;
        }
        foreach (var a in decision.Attempts) t.Attempts.Enqueue(a);
        NextTransferAttempt();
    }

    private void NextTransferAttempt()
    {
        var t = _transfer!;
        while (t.Attempts.TryDequeue(out var attempt))
        {
            var lease = _ctx.Trunks?.TryAcquire(attempt.Trunk, out _);
            if (lease is null) continue;
            var requestUri = lease.RequestUri(attempt.Number);
            var dialog = Dialog.ForUac(_ctx.Local, SipIds.NewCallId(_ctx.Local.Host), SipIds.NewTag(), lease.From(attempt.CallerId, null),
                $"<{requestUri}>", requestUri, lease.Destination);
            var fork = new Fork(dialog, lease.Destination, $"{attempt.Trunk}:{attempt.Number}", lease, t.Media!, forTransfer: true);
            t.Forks.Add(fork);
            SendInvite(fork);
            return;
        }
        FinishTransfer(503);
    }

    private void OnTransferForkResponse(Fork fork, ClientInviteTransaction tx, SipMessage response)
    {
        var t = _transfer;
        var status = response.StatusCode;
        if (t is null || t.Done || tx != fork.Transaction)
        {
            if (status is >= 200 and < 300) DropLateAnswer(fork, response);
            return;
        }
        if (status < 200)
        {
            if (status == 100) return;
            fork.Provisional = true;
            if (fork.CancelWanted && !fork.Cancelled) SendCancel(fork);
            if (response.To.Tag.IsPresent) fork.Early ??= fork.Dialog.Establish(response);
            if (response.HasToken(HeaderId.Require, "100rel")) Prack(fork, response);
            if (status == 180) Notify(t.Transferor, "180 Ringing", final: false);
            return;
        }
        if (status < 300)
        {
            fork.Done = true;
            fork.FinalStatus = status;
            var dialog = fork.Dialog.Establish(response);
            dialog.Confirmed = true;
            fork.Dialog = dialog;
            SendAck(dialog, fork);
            foreach (var other in t.Forks) if (other != fork) CancelFork(other, "SIP;cause=200;text=\"Call completed elsewhere\"");
            if (response.Body.Length > 0 && fork.Media.ApplyAnswer(response.BodyText) is { } error)
            {
                _logger.LogWarning("call {CallId}: transfer target's SDP refused: {Error}", Id, error);
                var bye = dialog.Request(SipMethod.Bye).NoBody().ToMessage();
                _ctx.Transactions.CreateClient(bye, dialog.Destination).Start();
                FinishTransfer(488);
                return;
            }
            var leg = new CallLeg(this, LegRole.Callee, dialog, fork.Media, fork.Peer) { Start = _ctx.Time.GetUtcNow(), Answered = _ctx.Time.GetUtcNow() };
            _cdr.Legs.FindLast(l => l.CallId == dialog.CallId)?.Answer = leg.Answered; // else FillLegs would take the end of the call
            leg.PeerAllowsUpdate = response.HasToken(HeaderId.Allow, "UPDATE");
            _manager.RegisterLeg(leg);
            SessionTimerFromResponse(leg, response);
            JoinAfterTransfer(t, leg);
            return;
        }
        if (status is 401 or 407 && fork.Credentials is not null && fork.AuthAttempts++ < 2
            && fork.Credentials.Answer(response, "INVITE", fork.Dialog.RemoteTarget) is { } auth)
        {
            SendInvite(fork, auth);
            return;
        }
        TransferForkFinal(fork, status);
    }

    private void TransferForkFinal(Fork fork, int status)
    {
        fork.Done = true;
        fork.FinalStatus = status;
        fork.Trunk?.Dispose();
        var t = _transfer;
        if (t is null || t.Done || t.Forks.Any(f => !f.Done)) return;
        if (status is 408 or 500 or 502 or 503 or 504 && t.Attempts.Count > 0)
        {
            NextTransferAttempt();
            return;
        }
        FinishTransfer(status);
    }

    /// <summary>The transfer failed: the transferor learns why and keeps the call (it can take its party off hold).</summary>
    private void FinishTransfer(int status)
    {
        var t = _transfer!;
        t.Done = true;
        Notify(t.Transferor, $"{status} {SipResponses.ReasonPhrase(status)}", final: true);
        if (t.Media is not null && !ReferenceEquals(t.Media, t.Staying.Media))
        {
            _ownedMedia.Remove(t.Media);
            _ = t.Media.DisposeAsync().AsTask();
        }
    }

    /// <summary>Connects the staying party to <paramref name="joined"/>, and lets the transferor go.</summary>
    private void JoinAfterTransfer(TransferState t, CallLeg joined)
    {
        t.Done = true;
        t.Staying.Media.StopPlayback();
        joined.Media.StopPlayback();
        _a = t.Staying;
        _b = joined;
        BridgeMedia(t.Staying.Media, joined.Media, record: _route?.Record ?? true);
        // RFC 5589 §6: the transferor hangs up when told of success; if it doesn't, we do.
        var transferor = t.Transferor;
        if (t.ByCommand)
        {
            // Nobody asked by REFER: the switch lets the transferrer go itself.
            SendBye(transferor, "SIP;cause=200;text=\"Transferred\"");
            _manager.UnregisterLeg(transferor);
        }
        // Kept in a field: an ITimer nobody references can be collected before it fires.
        else _transferorTimer = After(TimeSpan.FromSeconds(2), () =>
        {
            if (transferor.Dialog.Confirmed && !transferor.ByeReceived) SendBye(transferor, null);
            _manager.UnregisterLeg(transferor);
        });
        Notify(t.Transferor, "200 OK", final: true);
        t.Transferor.Ended = true;
        _cdr.Extension = joined.Peer;
        SignalPartyLeft();
        _logger.LogInformation("call {CallId}: transfer done, {Staying} now with {Joined}", Id, t.Staying.Peer, joined.Peer);
    }

    /// <summary>
    /// Attended transfer: the Replaces names the transferor's dialog in another call; that call's other
    /// party is taken over (the other call ends quietly for it) and joined with ours.
    /// </summary>
    private void StartAttendedTransfer(string replaces)
    {
        var parts = replaces.Split(';', StringSplitOptions.TrimEntries);
        var callId = parts[0];
        string? Param(string name) => parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Equals(name, StringComparison.OrdinalIgnoreCase)).Select(p => p[1]).FirstOrDefault();
        var replaced = _manager.FindLeg(callId, Param("to-tag"), Param("from-tag"));
        if (replaced is null || replaced.Call == this)
        {
            FinishTransfer(481);
            return;
        }
        var other = replaced.Call;
        other.Post(() =>
        {
            var taken = other.GiveUpForTransfer(replaced);
            Post(() =>
            {
                if (taken is null || State != CallState.Answered)
                {
                    FinishTransfer(481);
                    return;
                }
                taken.Call = this;
                // The other call's end took the leg out of the manager's index; in-dialog requests from the
                // party (its BYE) must now reach this call.
                _manager.RegisterLeg(taken);
                _ownedMedia.Add(taken.Media);
                _cdr.Legs.Add(new CdrLeg { Role = "transfer", Peer = taken.Peer, CallId = taken.Dialog.CallId, Start = taken.Start, Answer = taken.Answered });
                if (taken.SessionExpires > 0) ArmSessionTimer(taken);
                JoinAfterTransfer(_transfer!, taken);
            });
        });
    }

    /// <summary>
    /// Runs on this call's executor for another call's attended transfer: hands over the party that is
    /// not <paramref name="transferorLeg"/> (its dialog and media stay up), says goodbye to the
    /// transferor's leg, and ends this call's record as transferred.
    /// </summary>
    public CallLeg? GiveUpForTransfer(CallLeg transferorLeg)
    {
        if (State != CallState.Answered) return null;
        var taken = transferorLeg == _a ? _b : transferorLeg == _b ? _a : null;
        if (taken is null) return null;
        taken.StopTimers();
        _ownedMedia.Remove(taken.Media);
        if (_a == taken) _a = null; else _b = null;
        State = CallState.Ending;
        _cdr.HangupSide = HangupSide.Caller;
        _cdr.HangupCause = "202 Transferred";
        if (!transferorLeg.Ended) SendBye(transferorLeg, null);
        Finish();
        return taken;
    }

    /// <summary>NOTIFY of the refer subscription (RFC 3515 §2.4.5) with the target's status line as sipfrag.</summary>
    private void Notify(CallLeg transferor, string statusLine, bool final)
    {
        if (_transfer is { ByCommand: true } t && t.Transferor == transferor)
        {
            if (final) t.Completion?.TrySetResult(statusLine.StartsWith("200", StringComparison.Ordinal));
            return;
        }
        if (transferor.Ended && !final) return;
        var w = transferor.Dialog.Request(SipMethod.Notify);
        w.Header(HeaderId.Event, "refer");
        w.Header(HeaderId.SubscriptionState, final ? "terminated;reason=noresource" : "active;expires=60");
        var body = System.Text.Encoding.UTF8.GetBytes($"SIP/2.0 {statusLine}\r\n");
        _ctx.Transactions.CreateClient(w.Body(body, "message/sipfrag;version=2.0").ToMessage(), transferor.Dialog.Destination).Start();
    }
}
