using Hotline.Switch.Cdrs;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>The callee side: forks to every registered contact, or trunk attempts one after another.</summary>
internal sealed partial class Call
{
    private readonly Dictionary<IMediaLeg, string> _offers = [];

    /// <param name="alongside">Another extension of the same dial (ring-all): no failure when this one has no phone.</param>
    private void RingExtension(string number, bool alongside = false)
    {
        var registered = _ctx.Bindings.Lookup(number);
        // Contacts that stopped answering OPTIONS are skipped, unless none answers (then all are tried).
        var reachable = registered.Where(_ctx.IsReachable).ToList();
        var bindings = reachable.Count > 0 ? reachable : registered;
        _cdr.Extension = number;
        if (bindings.Count == 0)
        {
            if (!alongside && _forks.Count == 0) DialFailed(480, "Not Registered", CallDisposition.Failed, tone: true);
            return;
        }
        // RFC 3261 §16.6-style parallel fork: every contact rings, the first answer wins.
        foreach (var b in bindings)
        {
            var dialog = Dialog.ForUac(_ctx.Local, SipIds.NewCallId(_ctx.Local.Host), SipIds.NewTag(), CallerIdentity(_ctx.Domain),
                $"<sip:{number}@{_ctx.Domain}>", b.RequestUri, b.Destination);
            SendInvite(new Fork(dialog, b.Destination, number, null, DialMedia()));
        }
    }

    /// <summary>Makes the callee's media leg before any INVITE goes out; with every RTP port taken the dial fails with 503.</summary>
    private bool TryCalleeMedia()
    {
        try
        {
            CalleeMedia();
            return true;
        }
        catch (MediaUnavailableException e)
        {
            _logger.LogWarning("call {CallId}: {Reason}", Id, e.Message);
            DialFailed(503, "No Media Ports Available", CallDisposition.Failed, tone: false);
            return false;
        }
    }

    private IMediaLeg CalleeMedia()
    {
        if (_bMedia is not null) return _bMedia;
        _bMedia = _ctx.Media.CreateLeg($"{Id}/B", near: _aMedia);
        _ownedMedia.Add(_bMedia);
        return _bMedia;
    }

    private string CallerIdentity(string domain) =>
        _callerName is { Length: > 0 } name ? $"\"{name.Replace("\"", "")}\" <sip:{_callerNumber}@{domain}>" : $"<sip:{_callerNumber}@{domain}>";

    /// <summary>Tries the next trunk of the route (fail-over); a trunk that is down or at its limits is skipped.</summary>
    private void TryNextAttempt()
    {
        while (_attempts.TryDequeue(out var attempt))
            if (TryTrunkFork(attempt)) return;
        DialFailed(503, "No Route Available", CallDisposition.Failed, tone: true);
    }

    /// <summary>Sends the INVITE of one trunk attempt, unless the trunk is down or at its limits.</summary>
    private bool TryTrunkFork(TrunkAttempt attempt)
    {
        string? refusal = "no trunks configured";
        var lease = _ctx.Trunks?.TryAcquire(attempt.Trunk, out refusal);
        if (lease is null)
        {
            _logger.LogInformation("call {CallId}: trunk {Trunk} skipped: {Reason}", Id, attempt.Trunk, refusal);
            return false;
        }
        _cdr.OutboundTrunk = attempt.Trunk;
        var requestUri = lease.RequestUri(attempt.Number);
        var dialog = Dialog.ForUac(_ctx.Local, SipIds.NewCallId(_ctx.Local.Host), SipIds.NewTag(), lease.From(attempt.CallerId, _callerName),
            $"<{requestUri}>", requestUri, lease.Destination);
        SendInvite(new Fork(dialog, lease.Destination, $"{attempt.Trunk}:{attempt.Number}", lease, DialMedia()));
        return true;
    }

    private void SendInvite(Fork fork, (HeaderId Header, string Value)? authorization = null)
    {
        // One offer per media leg: every fork of a dial offers the same SDP (same port), as a forking proxy would.
        if (!_offers.TryGetValue(fork.Media, out var offer))
        {
            var prefer = fork.ForTransfer ? _transfer?.Staying.Media.Codec : _aMedia.Codec;
            _offers[fork.Media] = offer = fork.Media.CreateOffer(preferCodec: prefer);
        }
        var w = fork.Dialog.Request(SipMethod.Invite);
        w.Header(HeaderId.Allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, REFER, NOTIFY, INFO");
        w.Header(HeaderId.Supported, "100rel, timer, replaces");
        if (_ctx.Options.SessionExpiresSeconds > 0)
        {
            w.Header(HeaderId.SessionExpires, _ctx.Options.SessionExpiresSeconds);
            w.Header(HeaderId.MinSE, _ctx.Options.MinSessionExpiresSeconds);
        }
        if (fork.Trunk is not null) w.Header(HeaderId.PAssertedIdentity, $"<sip:{_callerNumber}@{_ctx.Domain}>");
        w.Header(HeaderId.UserAgent, _ctx.Core.UserAgent);
        if (authorization is { } auth) w.Header(auth.Header, auth.Value);
        var invite = w.Body(System.Text.Encoding.UTF8.GetBytes(offer), "application/sdp").ToMessage();
        fork.Invite = invite;
        if (!_forks.Contains(fork))
        {
            _forks.Add(fork);
            _manager.RegisterFork(this, fork);
            _cdr.Legs.Add(new CdrLeg { Role = fork.ForTransfer ? "transfer" : "callee", Peer = fork.Peer, CallId = fork.Dialog.CallId, Start = _ctx.Time.GetUtcNow() });
        }
        var tx = (ClientInviteTransaction)_ctx.Transactions.CreateClient(invite, fork.Destination);
        fork.Transaction = tx;
        tx.ResponseReceived = (t, r) => Post(() => OnForkResponse(fork, (ClientInviteTransaction)t, r));
        tx.Failed = (t, f) => Post(() => OnForkFailed(fork, (ClientInviteTransaction)t, f));
        tx.Start();
    }

    private void OnForkFailed(Fork fork, ClientInviteTransaction tx, TransactionFailure failure)
    {
        if (tx != fork.Transaction || fork.Done) return;
        if (fork.ForTransfer)
        {
            TransferForkFinal(fork, failure == TransactionFailure.Timeout ? 408 : 503);
            return;
        }
        // §17.1.1.2 / §17.1.4: a timeout is a 408, a transport failure a 503.
        ForkFinal(fork, failure == TransactionFailure.Timeout ? 408 : 503, failure.ToString());
    }

    private void OnForkResponse(Fork fork, ClientInviteTransaction tx, SipMessage response)
    {
        if (fork.ForTransfer)
        {
            OnTransferForkResponse(fork, tx, response);
            return;
        }
        var status = response.StatusCode;
        if (status >= 200 && status < 300 && _winner is not null && _winner != fork)
        {
            // Another fork answered first: this late 2xx still gets its ACK, then a BYE (§13.2.2.4).
            DropLateAnswer(fork, response);
            return;
        }
        if (tx != fork.Transaction) return;
        if (State is CallState.Ending or CallState.Ended)
        {
            // The call is over but this phone is still ringing or just answered: finish it off.
            if (status is > 100 and < 200)
            {
                fork.Provisional = true;
                if (fork.CancelWanted && !fork.Cancelled) SendCancel(fork);
            }
            else if (status is >= 200 and < 300 && !fork.Done) DropLateAnswer(fork, response);
            return;
        }
        if (status < 200)
        {
            OnForkProvisional(fork, response);
            return;
        }
        if (status < 300)
        {
            if (fork == _winner) ResendAck(fork, response); // a retransmitted 2xx: our ACK was lost
            else OnForkAnswered(fork, response);
            return;
        }
        if (status is 401 or 407 && fork.Credentials is not null && fork.AuthAttempts++ < 2
            && fork.Credentials.Answer(response, "INVITE", fork.Dialog.RemoteTarget) is { } auth)
        {
            // The trunk challenged: the same INVITE again with credentials, next CSeq, new branch (§22.2).
            SendInvite(fork, auth);
            return;
        }
        ForkFinal(fork, status, response.ReasonText);
    }

    private void OnForkProvisional(Fork fork, SipMessage response)
    {
        if (response.StatusCode == 100) return;
        fork.Provisional = true;
        if (fork.CancelWanted && !fork.Cancelled) SendCancel(fork);
        if (response.To.Tag.IsPresent && (fork.Early is null || fork.Early.RemoteTag != response.Text(response.To.Tag)))
            fork.Early = fork.Dialog.Establish(response);
        if (response.HasToken(HeaderId.Require, "100rel")) Prack(fork, response);
        if (!_dialling || _originate is not null) return;
        if (_a?.Answered is not null)
        {
            // The caller is already answered (a flow is connecting it): it hears ringback, unless music is playing.
            if (!_ringback && !_musicOnHold)
            {
                _aMedia.Play(CallSound.Ringback);
                _ringback = true;
            }
            return;
        }
        if (response.Body.Length > 0 && _earlyMediaFork is null && fork.Media.ApplyAnswer(response.BodyText) is null)
        {
            // Early media from the callee (announcements, its own ringback): the caller hears it.
            _earlyMediaFork = fork;
            StopRingback();
            BridgeMedia(_aMedia, fork.Media, record: false);
            SendProvisionalToCaller(183, withSdp: true);
            return;
        }
        if (_earlyMediaFork is null && !_ringback)
        {
            // The far end rings without sending audio: we play ringback ourselves (Chinese 450 Hz, 1 s on / 4 s off).
            SendProvisionalToCaller(180, withSdp: !_aDelayedOffer);
            if (!_aDelayedOffer)
            {
                _aMedia.Play(CallSound.Ringback);
                _ringback = true;
            }
        }
    }

    private void StopRingback()
    {
        if (!_ringback) return;
        _aMedia.StopPlayback();
        _ringback = false;
    }

    private void OnForkAnswered(Fork fork, SipMessage response)
    {
        _winner = fork;
        fork.Done = true;
        fork.FinalStatus = response.StatusCode;
        // Continue the early dialog when this answer comes from it, so CSeqs used by PRACK keep rising.
        var tag = response.Text(response.To.Tag);
        var dialog = (fork.Early is { } early && early.RemoteTag == tag ? early : fork.Dialog).Establish(response);
        dialog.Confirmed = true;
        fork.Dialog = dialog;
        SendAck(dialog, fork);
        var leg = new CallLeg(this, LegRole.Callee, dialog, fork.Media, fork.Peer) { Start = _ctx.Time.GetUtcNow(), Answered = _ctx.Time.GetUtcNow(), FinalStatus = 200 };
        _cdr.Legs.FindLast(l => l.CallId == dialog.CallId)?.Answer = leg.Answered; // else FillLegs would take the end of the call
        leg.PeerAllowsUpdate = response.HasToken(HeaderId.Allow, "UPDATE");
        _b = leg;
        _manager.RegisterLeg(leg);
        foreach (var other in _forks)
        {
            if (other != fork) CancelFork(other, "SIP;cause=200;text=\"Call completed elsewhere\""); // RFC 3326
        }
        if (!_dialling)
        {
            // The caller gave up while this answer was on its way: hang the callee up again.
            SendBye(leg, "SIP;cause=487;text=\"Caller cancelled\"");
            return;
        }
        if (fork != _earlyMediaFork && response.Body.Length > 0 && fork.Media.ApplyAnswer(response.BodyText) is { } error)
        {
            _logger.LogWarning("call {CallId}: callee's SDP refused: {Error}", Id, error);
            SendBye(leg, "SIP;cause=488");
            DialFailed(488, "Not Acceptable Here", CallDisposition.Failed, tone: false);
            return;
        }
        SessionTimerFromResponse(leg, response);
        DialAnswered(leg);
    }

    private void SendAck(Dialog dialog, Fork fork)
    {
        // §13.2.2.4: the ACK for a 2xx is its own transaction-less request with the INVITE's CSeq number.
        var ack = dialog.Request(SipMethod.Ack, fork.Invite!.CSeq.Number).NoBody().ToMessage();
        _ctx.Transactions.Sender.Send(ack, dialog.Destination);
    }

    private void ResendAck(Fork fork, SipMessage response)
    {
        if (fork.Dialog.RemoteTag == response.Text(response.To.Tag)) SendAck(fork.Dialog, fork);
    }

    private void DropLateAnswer(Fork fork, SipMessage response)
    {
        var dialog = fork.Dialog.Establish(response);
        SendAck(dialog, fork);
        var bye = dialog.Request(SipMethod.Bye).Header(HeaderId.Reason, "SIP;cause=200;text=\"Call completed elsewhere\"").NoBody().ToMessage();
        _ctx.Transactions.CreateClient(bye, dialog.Destination).Start();
        fork.Done = true;
    }

    private void ForkFinal(Fork fork, int status, string? reason)
    {
        fork.Done = true;
        fork.FinalStatus = status;
        fork.FinalReason = reason;
        fork.Trunk?.Dispose();
        if (_winner is not null || !_dialling) return;
        if (_forks.Any(f => !f.Done)) return;
        // A trunk that could not take the call (timeout, server error) gives way to the next one.
        if (_route?.Target.Kind == RouteTargetKind.External && status is 408 or 500 or 502 or 503 or 504 && _attempts.Count > 0)
        {
            _logger.LogInformation("call {CallId}: {Peer} answered {Status}, failing over", Id, fork.Peer, status);
            _earlyMediaFork = null;
            TryNextAttempt();
            return;
        }
        var best = BestFailure();
        var disposition = best is 486 or 600 ? CallDisposition.Busy : best is 408 or 480 or 487 ? CallDisposition.NoAnswer : CallDisposition.Failed;
        DialFailed(best, null, disposition, tone: true);
    }

    /// <summary>The response the caller should see when every fork failed (after RFC 3261 §16.7 step 6): busy beats the rest.</summary>
    private int BestFailure()
    {
        var statuses = _forks.Select(f => f.FinalStatus).Where(s => s >= 300).ToList();
        if (statuses.Count == 0) return 480;
        if (statuses.Any(s => s is >= 600)) return statuses.First(s => s >= 600);
        if (statuses.Contains(486)) return 486;
        if (statuses.All(s => s is 408 or 487 or 480)) return 480;
        return statuses.Where(s => s is not (408 or 487 or 503)).DefaultIfEmpty(statuses[0]).Min();
    }

    /// <summary>Cancels a fork (§9.1): only after it sent a provisional; before that, when one arrives.</summary>
    private void CancelFork(Fork fork, string reason)
    {
        if (fork.Done || fork.Cancelled) return;
        fork.CancelWanted = true;
        fork.FinalReason ??= reason;
        if (fork.Provisional) SendCancel(fork);
    }

    private void SendCancel(Fork fork)
    {
        fork.Cancelled = true;
        var cancel = SipRequests.CreateCancel(fork.Invite!, fork.FinalReason);
        _ctx.Transactions.CreateClient(cancel, fork.Destination).Start();
    }

    /// <summary>RFC 3262 §4: acknowledge a reliable provisional once (retransmissions carry the same RSeq).</summary>
    private void Prack(Fork fork, SipMessage response)
    {
        if (!uint.TryParse(response.GetHeader(HeaderId.RSeq), out var rseq) || rseq <= fork.LastRSeq || fork.Early is null) return;
        fork.LastRSeq = rseq;
        var prack = fork.Early.Request(SipMethod.Prack)
            .Header(HeaderId.RAck, $"{rseq} {response.CSeq.Number} INVITE").NoBody().ToMessage();
        _ctx.Transactions.CreateClient(prack, fork.Destination).Start();
    }
}
