using Hotline.Switch.Cdrs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>Requests inside the call's dialogs: BYE, re-INVITE and UPDATE (hold, session refresh), PRACK, INFO, REFER.</summary>
internal sealed partial class Call
{
    public void OnInDialogRequest(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        var tag = leg.Dialog.LocalTag;
        if ((leg.Ended && !(request.Method == SipMethod.Bye && _transfer?.Transferor == leg)) || State == CallState.Ended)
        {
            _ctx.Core.Respond(tx, 481, toTag: tag);
            return;
        }
        leg.Dialog.LearnFlow(request.Source!);
        if (!leg.Dialog.AcceptRemoteSequence(request))
        {
            _ctx.Core.Respond(tx, 500, "CSeq out of order", toTag: tag, extra: w => w.Header(HeaderId.RetryAfter, "1"));
            return;
        }
        switch (request.Method)
        {
            case SipMethod.Bye:
                _ctx.Core.Respond(tx, 200, toTag: tag);
                leg.ByeReceived = true;
                if (_transfer is { Done: true } t && t.Transferor == leg)
                {
                    leg.Ended = true; // the transferor leaving after a transfer ends nothing else
                    _manager.UnregisterLeg(leg);
                    return;
                }
                leg.Ended = true;
                if (leg == _a && State == CallState.Ringing)
                {
                    // A BYE on the early dialog ends the attempt like a CANCEL would (§15).
                    _cdr.HangupSide = HangupSide.Caller;
                    foreach (var f in _forks) CancelFork(f, "SIP;cause=487");
                    Fail(487, null, CallDisposition.Cancelled, tone: false);
                    return;
                }
                Hangup(leg, null);
                return;
            case SipMethod.Invite:
            case SipMethod.Update:
                OnSessionModification(leg, tx);
                return;
            case SipMethod.Prack:
                OnCallerPrack(leg, tx);
                return;
            case SipMethod.Refer:
                OnRefer(leg, tx);
                return;
            case SipMethod.Info:
            case SipMethod.Options:
            case SipMethod.Notify:
                _ctx.Core.Respond(tx, 200, toTag: tag);
                return;
            default:
                _ctx.Core.Respond(tx, 405, toTag: tag, extra: w => w.Header(HeaderId.Allow, "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, REFER, NOTIFY, INFO"));
                return;
        }
    }

    /// <summary>
    /// A re-INVITE or UPDATE from one party. Media is anchored here, so the other party is not
    /// involved: we answer from this leg's media; a party putting us on hold makes the other hear
    /// music on hold, and taking it off hold brings the conversation back. Also a session refresh.
    /// </summary>
    private void OnSessionModification(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        var tag = leg.Dialog.LocalTag;
        if (request.Method == SipMethod.Invite && leg.AwaitingAck is not null)
        {
            _ctx.Core.Respond(tx, 491, toTag: tag); // RFC 3261 §14.2: a re-INVITE while ours is unfinished
            return;
        }
        string? sdp = null;
        if (request.Body.Length > 0)
        {
            var answer = leg.Media.AnswerOffer(request.BodyText);
            if (!answer.Ok)
            {
                _ctx.Core.Respond(tx, 488, toTag: tag);
                return;
            }
            sdp = answer.Sdp;
            ApplyHold(leg);
        }
        else if (request.Method == SipMethod.Invite)
        {
            sdp = leg.Media.CreateOffer(); // an offerless re-INVITE: we offer in the 2xx, the answer comes in the ACK
        }
        var w = SipResponses.Start(request, 200, null, tag);
        w.Header(HeaderId.Server, _ctx.Core.UserAgent);
        w.Header(HeaderId.Contact, _ctx.Local.Contact("hotline", request.Source!.Transport));
        RefreshSessionTimer(leg, request, w);
        var response = w.Body(sdp is null ? [] : System.Text.Encoding.UTF8.GetBytes(sdp), "application/sdp").ToMessage();
        if (tx is ServerInviteTransaction invite) AwaitAck(leg, invite, response);
        else tx.Respond(response);
    }

    /// <summary>Music on hold for whoever is left alone while the other party holds.</summary>
    private void ApplyHold(CallLeg leg)
    {
        var other = leg == _a ? _b : _a;
        if (other is null || State != CallState.Answered) return;
        if (leg.Media.RemoteHold)
        {
            _logger.LogInformation("call {CallId}: {Peer} holds", Id, leg.Peer);
            other.Media.Play(CallSound.MusicOnHold);
        }
        else
        {
            other.Media.StopPlayback();
        }
    }

    /// <summary>The caller cancelled before the answer (§9.2): 487 to the INVITE, the forks cancelled.</summary>
    public void OnCancel()
    {
        if (State != CallState.Ringing && State != CallState.Routing) return;
        _logger.LogInformation("call {CallId} cancelled by {Caller}", Id, Caller);
        _cdr.HangupSide = HangupSide.Caller;
        foreach (var f in _forks) CancelFork(f, "SIP;cause=487;text=\"Caller cancelled\"");
        _failureTone?.Dispose();
        State = CallState.Ringing; // let Fail run even if a failure tone was playing
        Fail(487, null, CallDisposition.Cancelled, tone: false);
    }

    /// <summary>
    /// Ends an answered call: <paramref name="from"/> hung up (null: the switch ends it), the others get
    /// a BYE (with a Reason, RFC 3326, when the switch is the cause).
    /// </summary>
    public void Hangup(CallLeg? from, string? reason)
    {
        if (State is CallState.Ending or CallState.Ended) return;
        if (State != CallState.Answered)
        {
            Fail(reason is null ? 487 : 480, null, CallDisposition.Cancelled, tone: false);
            return;
        }
        State = CallState.Ending;
        _ = _channelEnded.CancelAsync();
        foreach (var f in _forks) CancelFork(f, "SIP;cause=487;text=\"Call ended\"");
        _cdr.HangupSide = from is null ? HangupSide.System : from == _a ? HangupSide.Caller : HangupSide.Callee;
        _cdr.HangupCause = from is null ? (reason ?? "system") : "200 BYE";
        foreach (var leg in new[] { _a, _b })
        {
            if (leg is not null && leg != from && !leg.Ended) SendBye(leg, reason);
        }
        Finish();
    }

    private void SendBye(CallLeg leg, string? reason)
    {
        leg.Ended = true;
        var w = leg.Dialog.Request(SipMethod.Bye);
        if (reason is not null) w.Header(HeaderId.Reason, reason);
        _ctx.Transactions.CreateClient(w.NoBody().ToMessage(), leg.Dialog.Destination).Start();
    }

    /// <summary>Releases everything the call holds and writes its CDR; safe to call once the call is over.</summary>
    private void Finish()
    {
        if (State == CallState.Ended) return;
        State = CallState.Ended;
        _ = _channelEnded.CancelAsync();
        _ = _partyLeft.CancelAsync();
        if (_connect is { } connect)
        {
            _connect = null;
            connect.Completion.TrySetResult(new ConnectResult(ConnectOutcome.CallerHungUp, 487, null));
        }
        _originate?.TrySetResult(new OriginateResult(ConnectOutcome.Failed, 500, null));
        var now = _ctx.Time.GetUtcNow();
        _noAnswer?.Dispose();
        _failureTone?.Dispose();
        _maxDuration?.Dispose();
        _mediaWatch?.Dispose();
        _transferorTimer?.Dispose();
        _a?.StopTimers();
        _b?.StopTimers();
        StopRingback();
        _transfer?.Transferor.StopTimers();
        _cdr.End = now;
        // Billed from the times as the store keeps them (to the millisecond), so a record read back adds up:
        // 4.0001 s between answer and end is 4 billable seconds, not 5.
        if (_cdr.Answer is { } answered) _cdr.BillableSeconds = (int)Math.Ceiling((WholeMilliseconds(now) - WholeMilliseconds(answered)).TotalSeconds);
        if (_cdr.HangupCause.Length == 0) _cdr.HangupCause = "200 BYE";
        FillLegs(now);
        foreach (var f in _pastForks.Concat(_forks)) f.Trunk?.Dispose();
        // The record is stored before the call leaves the live list: whoever sees it gone finds its CDR.
        try
        {
            _ctx.Cdrs.Add(_cdr);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "could not store the CDR of call {CallId}", Id);
        }
        _manager.Unregister(this);
        _ = ReleaseMediaAsync();
        _logger.LogInformation("call {CallId} ended: {Disposition} {Cause}, {Seconds} s billable", Id, _cdr.Disposition, _cdr.HangupCause, _cdr.BillableSeconds);
    }

    private void FillLegs(DateTimeOffset now)
    {
        var callerLeg = _cdr.Legs[0];
        callerLeg.Answer = _a?.Answered;
        callerLeg.End = now;
        callerLeg.FinalStatus = _invite?.LastResponse?.StatusCode ?? 200;
        Stats(callerLeg, _aMedia);
        foreach (var fork in _pastForks.Concat(_forks))
        {
            var l = _cdr.Legs.FirstOrDefault(x => x.CallId == fork.Dialog.CallId);
            if (l is null) continue;
            l.End = now;
            l.FinalStatus = fork.FinalStatus;
            if (fork.FinalStatus is >= 200 and < 300)
            {
                l.Answer ??= now;
                Stats(l, fork.Media);
            }
        }
    }

    private static void Stats(CdrLeg leg, IMediaLeg media)
    {
        var s = media.Stats;
        leg.Codec = s.Codec;
        leg.PacketsReceived = s.PacketsReceived;
        leg.PacketsSent = s.PacketsSent;
        leg.PacketsLost = s.PacketsLost;
    }

    private async Task ReleaseMediaAsync()
    {
        try
        {
            if (_bridge is not null) await _bridge.DisposeAsync();
            foreach (var media in _ownedMedia) await media.DisposeAsync();
            _ownedMedia.Clear();
        }
        catch (Exception e)
        {
            _logger.LogError(e, "releasing the media of call {CallId} failed", Id);
        }
    }

    private static DateTimeOffset WholeMilliseconds(DateTimeOffset t) => t.AddTicks(-(t.Ticks % TimeSpan.TicksPerMillisecond));
}
