using Hotline.Switch.Cdrs;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>The caller side: provisionals (reliable when the caller requires 100rel), the answer, failures.</summary>
internal sealed partial class Call
{
    private void SendProvisionalToCaller(int status, bool withSdp)
    {
        if (_invite is null || _invite.HasFinalResponse) return;
        if (_a?.PendingReliable is not null) return; // RFC 3262 §3: one unacknowledged reliable provisional at a time
        var w = StartCallerResponse(status);
        if (_aRequires100rel)
        {
            var a = EnsureCallerLeg();
            w.Header(HeaderId.Require, "100rel");
            w.Header(HeaderId.RSeq, a.NextRSeq++);
        }
        var body = withSdp && _aSdp is not null ? System.Text.Encoding.UTF8.GetBytes(_aSdp) : [];
        _aSentSdp |= body.Length > 0;
        var response = w.Body(body, "application/sdp").ToMessage();
        _invite!.Respond(response);
        if (_aRequires100rel) RetransmitReliable(EnsureCallerLeg(), response, _ctx.Timers.T1, _ctx.Time.GetTimestamp());
    }

    /// <summary>Status line, dialog headers with our tag, Contact, Server, Allow, Supported.</summary>
    private SipMessageWriter StartCallerResponse(int status, string? reason = null)
    {
        var w = SipResponses.Start(_invite!.Request, status, reason, _aTag);
        w.Header(HeaderId.Server, _ctx.Core.UserAgent);
        if (status < 300)
        {
            w.Header(HeaderId.Contact, _ctx.Local.Contact("hotline", _invite.Request.Source!.Transport));
            w.Header(HeaderId.Allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, REFER, NOTIFY, INFO");
            w.Header(HeaderId.Supported, "100rel, timer, replaces");
        }
        return w;
    }

    /// <summary>The caller's dialog exists from our first response with a tag (§12.1.1).</summary>
    private CallLeg EnsureCallerLeg()
    {
        if (_a is not null) return _a;
        var dialog = Dialog.ForUas(_ctx.Local, _invite!.Request, _aTag);
        _a = new CallLeg(this, LegRole.Caller, dialog, _aMedia, _cdr.Legs[0].Peer) { Start = _cdr.Start };
        _a.PeerAllowsUpdate = _invite.Request.HasToken(HeaderId.Allow, "UPDATE");
        _manager.RegisterLeg(_a);
        return _a;
    }

    /// <summary>RFC 3262 §3: a reliable provisional is retransmitted (T1 doubling) until PRACKed, for 64·T1 at most.</summary>
    private void RetransmitReliable(CallLeg leg, SipMessage response, TimeSpan interval, long started)
    {
        leg.PendingReliable = response;
        leg.RetransmitReliable?.Dispose();
        leg.RetransmitReliable = After(interval, () =>
        {
            if (leg.PendingReliable != response || _invite!.HasFinalResponse) return;
            if (_ctx.Time.GetElapsedTime(started) >= _ctx.Timers.T1 * 64)
            {
                leg.PendingReliable = null;
                Fail(500, "Reliable provisional not acknowledged", CallDisposition.Failed, tone: false);
                return;
            }
            _invite!.Respond(response);
            RetransmitReliable(leg, response, interval * 2, started);
        });
    }

    /// <summary>PRACK from the caller for our reliable provisional (RFC 3262 §3).</summary>
    private void OnCallerPrack(CallLeg leg, ServerTransaction tx)
    {
        var rack = tx.Request.GetHeader(HeaderId.RAck)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var pending = leg.PendingReliable;
        if (pending is null || rack is not { Length: 3 } || rack[0] != pending.GetHeader(HeaderId.RSeq))
        {
            _ctx.Core.Respond(tx, 481, toTag: _aTag);
            return;
        }
        leg.PendingReliable = null;
        leg.RetransmitReliable?.Dispose();
        _ctx.Core.Respond(tx, 200, toTag: _aTag);
    }

    /// <summary>The callee answered: the caller gets 200 with our SDP, bridged media, recording from here.</summary>
    private void AnswerCaller(bool record)
    {
        StopRingback();
        _noAnswer?.Dispose();
        BridgeMedia(_aMedia, _bMedia!, record);
        if (_a?.Answered is not null)
        {
            // Answered earlier by the switch (a flow): the bridge is all that changes.
            _cdr.Extension ??= _b?.Peer;
            _logger.LogInformation("call {CallId} {Caller} connected to {Peer}", Id, Caller, _b?.Peer);
            return;
        }
        SendAnswer();
        _logger.LogInformation("call {CallId} {Caller} -> {Callee} answered by {Peer}", Id, Caller, Callee, _b?.Peer);
    }

    /// <summary>200 OK to the caller with our SDP, retransmitted until the ACK.</summary>
    private void SendAnswer()
    {
        var a = EnsureCallerLeg();
        a.PendingReliable = null;
        a.RetransmitReliable?.Dispose();
        var w = StartCallerResponse(200);
        SessionTimerForCaller(a, w);
        var response = w.Body(_aSdp is null ? [] : System.Text.Encoding.UTF8.GetBytes(_aSdp), "application/sdp").ToMessage();
        a.Answered = _ctx.Time.GetUtcNow();
        a.Dialog.Confirmed = true;
        AwaitAck(a, _invite!, response);
        State = CallState.Answered;
        _cdr.Answer = a.Answered;
        _cdr.Disposition = CallDisposition.Answered;
        ArmAnsweredTimers();
    }

    /// <summary>The answered call's guards: its longest allowed duration and the RTP inactivity check.</summary>
    private void ArmAnsweredTimers()
    {
        ArmMediaWatch();
        if (_ctx.Options.MaxCallSeconds > 0)
            _maxDuration = After(TimeSpan.FromSeconds(_ctx.Options.MaxCallSeconds), () => Hangup(null, "SIP;cause=408;text=\"Maximum call duration\""));
    }

    /// <summary>
    /// Connects two media legs, replacing any earlier bridge. Recording starts with the answer, not with
    /// early media; after a transfer the rest of the call goes to a second file named after the first.
    /// </summary>
    private void BridgeMedia(IMediaLeg caller, IMediaLeg callee, bool record)
    {
        if (_bridge is not null && _bridgedCaller == caller && _bridgedCallee == callee && (!record || _bridge.RecordingPath is not null)) return;
        var old = _bridge;
        string? path = null;
        if (record)
        {
            var now = _ctx.Time.GetUtcNow();
            var name = SafeFileName(Id) + (_recordings.Count == 0 ? "" : $"-{_recordings.Count + 1}");
            path = Path.Combine(_ctx.RecordingsRoot, now.ToString("yyyy"), now.ToString("MM"), now.ToString("dd"), name + ".wav");
            _recordings.Add(path);
        }
        if (old is not null) _ = old.DisposeAsync().AsTask();
        _bridge = _ctx.Media.Bridge(caller, callee, path);
        (_bridgedCaller, _bridgedCallee) = (caller, callee);
        if (path is not null) _cdr.RecordingPath ??= path;
        _cdr.Recordings = [.. _recordings];
    }

    private static string SafeFileName(string callId)
    {
        var chars = callId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        return new string(chars);
    }

    /// <summary>
    /// Sends a 2xx and retransmits it (T1 doubling up to T2) until the ACK comes (§13.3.1.4); with no ACK
    /// within 64·T1 the dialog is given up with a BYE.
    /// </summary>
    private void AwaitAck(CallLeg leg, ServerInviteTransaction tx, SipMessage response)
    {
        leg.AwaitingAck = tx;
        leg.Pending2xx = response;
        leg.Retransmit2xxInterval = _ctx.Timers.T1;
        leg.Retransmit2xxStarted = _ctx.Time.GetTimestamp();
        tx.Respond(response);
        // Over TCP the 2xx is not retransmitted (§13.3.1.4), but the ACK is still awaited for 64·T1.
        if (tx.Reliable) leg.Retransmit2xxInterval = _ctx.Timers.T1 * 64;
        Schedule2xx(leg);
    }

    private void Schedule2xx(CallLeg leg)
    {
        leg.Retransmit2xx?.Dispose();
        // The last wait is cut short so the give-up lands at 64·T1 exactly.
        var remaining = _ctx.Timers.T1 * 64 - _ctx.Time.GetElapsedTime(leg.Retransmit2xxStarted);
        var due = leg.Retransmit2xxInterval < remaining ? leg.Retransmit2xxInterval : remaining;
        leg.Retransmit2xx = After(due > TimeSpan.Zero ? due : TimeSpan.FromMilliseconds(1), () =>
        {
            if (leg.AwaitingAck is not { } tx || leg.Pending2xx is not { } response) return;
            if (_ctx.Time.GetElapsedTime(leg.Retransmit2xxStarted) >= _ctx.Timers.T1 * 64)
            {
                _logger.LogWarning("call {CallId}: no ACK from {Peer}, hanging up", Id, leg.Peer);
                leg.AwaitingAck = null;
                Hangup(null, "SIP;cause=408;text=\"ACK timeout\"");
                return;
            }
            if (!tx.Reliable) tx.Respond(response);
            var next = leg.Retransmit2xxInterval * 2;
            leg.Retransmit2xxInterval = next < _ctx.Timers.T2 ? next : _ctx.Timers.T2;
            Schedule2xx(leg);
        });
    }

    /// <summary>An ACK for one of our 2xx; for an INVITE without SDP it carries the caller's answer.</summary>
    public void OnAck(CallLeg leg, SipMessage ack)
    {
        if (leg.AwaitingAck is null || ack.CSeq.Number != leg.AwaitingAck.Request.CSeq.Number) return;
        leg.AwaitingAck = null;
        leg.Pending2xx = null;
        leg.Retransmit2xx?.Dispose();
        if (leg == _a && _aDelayedOffer && ack.Body.Length > 0)
        {
            _aDelayedOffer = false;
            if (_aMedia.ApplyAnswer(ack.BodyText) is { } error)
            {
                _logger.LogWarning("call {CallId}: caller's answer in ACK refused: {Error}", Id, error);
                Hangup(null, "SIP;cause=488");
            }
        }
    }

    /// <summary>
    /// Ends an unanswered call with <paramref name="status"/>. With <paramref name="tone"/>, a caller that
    /// can take early media first hears busy or congestion tone for a few seconds, so a person on a
    /// desk phone learns why as well as a display does.
    /// </summary>
    private void Fail(int status, string? reason, CallDisposition disposition, bool tone, Action<SipMessageWriter>? extra = null)
    {
        if (State is CallState.Ending or CallState.Ended || _invite is null || _invite.HasFinalResponse) return;
        State = CallState.Ending;
        _noAnswer?.Dispose();
        foreach (var f in _forks) CancelFork(f, $"SIP;cause={status}");
        _cdr.Disposition = disposition;
        _cdr.HangupSide = HangupSide.System;
        _cdr.HangupCause = $"{status} {reason ?? SipResponses.ReasonPhrase(status)}";
        var seconds = _ctx.Options.FailureToneSeconds;
        if (tone && seconds > 0 && !_aDelayedOffer && _aSdp is not null && status is not (487 or 488))
        {
            StopRingback();
            if (!_aSentSdp) SendProvisionalToCaller(183, withSdp: true);
            _aMedia.Play(status is 486 or 600 ? CallSound.Busy : CallSound.Congestion);
            _failureTone = After(TimeSpan.FromSeconds(seconds), () => FinalToCaller(status, reason, extra));
            return;
        }
        FinalToCaller(status, reason, extra);
    }

    private void FinalToCaller(int status, string? reason, Action<SipMessageWriter>? extra)
    {
        if (_invite is not null && !_invite.HasFinalResponse && !_invite.IsTerminated)
        {
            var w = StartCallerResponse(status, reason);
            extra?.Invoke(w);
            _invite.Respond(w.NoBody().ToMessage());
        }
        Finish();
    }
}
