using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// Session timers (RFC 4028): a dialog whose refreshes stop is dead (a phone lost power, a NAT forgot
/// the mapping), so a refresher re-sends the session every interval and the other side hangs up
/// when it doesn't. We let phones refresh when they can, and refresh ourselves otherwise.
/// </summary>
internal sealed partial class Call
{
    /// <summary>Session-Expires of a request or response: interval and refresher ("uac", "uas" or null).</summary>
    private static (int Seconds, string? Refresher)? ReadSessionExpires(SipMessage m)
    {
        var v = m.First(HeaderId.SessionExpires);
        if (!v.IsPresent) return null;
        var text = m.Text(v);
        var parts = text.Split(';', StringSplitOptions.TrimEntries);
        if (!int.TryParse(parts[0], out var seconds) || seconds <= 0) return null;
        var refresher = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0].Equals("refresher", StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].ToLowerInvariant()).FirstOrDefault();
        return (seconds, refresher);
    }

    /// <summary>A Session-Expires below our Min-SE is refused with 422 (RFC 4028 §8.1); true when it was.</summary>
    private bool RefuseTooShortSession()
    {
        var se = ReadSessionExpires(_invite!.Request);
        if (se is null || _ctx.Options.SessionExpiresSeconds == 0 || se.Value.Seconds >= _ctx.Options.MinSessionExpiresSeconds) return false;
        var w = StartCallerResponse(422);
        w.Header(HeaderId.MinSE, _ctx.Options.MinSessionExpiresSeconds);
        _invite!.Respond(w.NoBody().ToMessage());
        State = CallState.Ending;
        Finish();
        return true;
    }

    /// <summary>Decides the caller's session timer and writes it into our 200 (RFC 4028 §9).</summary>
    private void SessionTimerForCaller(CallLeg a, SipMessageWriter w)
    {
        if (_ctx.Options.SessionExpiresSeconds == 0) return;
        var request = _invite!.Request;
        var supportsTimer = request.HasToken(HeaderId.Supported, "timer") || request.HasToken(HeaderId.Require, "timer");
        var se = ReadSessionExpires(request);
        if (se is null && !supportsTimer) return;
        var seconds = Math.Min(se?.Seconds ?? _ctx.Options.SessionExpiresSeconds, _ctx.Options.SessionExpiresSeconds);
        seconds = Math.Max(seconds, _ctx.Options.MinSessionExpiresSeconds);
        // The caller refreshes when it can (it knows best whether it is alive); otherwise we do.
        var callerRefreshes = supportsTimer && se?.Refresher != "uas";
        a.SessionExpires = seconds;
        a.WeRefresh = !callerRefreshes;
        w.Header(HeaderId.SessionExpires, $"{seconds};refresher={(callerRefreshes ? "uac" : "uas")}");
        if (supportsTimer) w.Header(HeaderId.Require, "timer");
        ArmSessionTimer(a);
    }

    /// <summary>The callee's 2xx says who refreshes on the B side (we are its UAC).</summary>
    private void SessionTimerFromResponse(CallLeg b, SipMessage response)
    {
        if (ReadSessionExpires(response) is not { } se) return;
        b.SessionExpires = se.Seconds;
        b.WeRefresh = se.Refresher != "uas";
        ArmSessionTimer(b);
    }

    /// <summary>A refresh arrived (re-INVITE or UPDATE): echo the interval and start counting again.</summary>
    private void RefreshSessionTimer(CallLeg leg, SipMessage request, SipMessageWriter w)
    {
        if (ReadSessionExpires(request) is { } se)
        {
            leg.SessionExpires = Math.Max(se.Seconds, _ctx.Options.MinSessionExpiresSeconds);
            var theyRefresh = se.Refresher != "uas";
            leg.WeRefresh = !theyRefresh;
            w.Header(HeaderId.SessionExpires, $"{leg.SessionExpires};refresher={(theyRefresh ? "uac" : "uas")}");
            if (request.HasToken(HeaderId.Supported, "timer")) w.Header(HeaderId.Require, "timer");
        }
        if (leg.SessionExpires > 0) ArmSessionTimer(leg);
    }

    private void ArmSessionTimer(CallLeg leg)
    {
        leg.SessionTimer?.Dispose();
        var interval = TimeSpan.FromSeconds(leg.SessionExpires);
        if (leg.WeRefresh)
        {
            leg.SessionTimer = After(interval / 2, () => SendSessionRefresh(leg));
            return;
        }
        // §10: without a refresh, BYE shortly before the interval runs out.
        var margin = TimeSpan.FromSeconds(Math.Min(32, leg.SessionExpires / 3.0));
        leg.SessionTimer = After(interval - margin, () =>
        {
            if (State != CallState.Answered || leg.Ended) return;
            _logger.LogInformation("call {CallId}: session with {Peer} expired without refresh", Id, leg.Peer);
            Hangup(null, "SIP;cause=408;text=\"Session expired\"");
        });
    }

    /// <summary>Refreshes a session: UPDATE without a body when the peer allows it, else a re-INVITE with our SDP.</summary>
    private void SendSessionRefresh(CallLeg leg)
    {
        if (State != CallState.Answered || leg.Ended) return;
        var method = leg.PeerAllowsUpdate ? SipMethod.Update : SipMethod.Invite;
        var w = leg.Dialog.Request(method);
        w.Header(HeaderId.SessionExpires, $"{leg.SessionExpires};refresher={(leg.Role == LegRole.Callee ? "uac" : "uas")}");
        w.Header(HeaderId.Supported, "timer");
        var request = method == SipMethod.Invite
            ? w.Body(System.Text.Encoding.UTF8.GetBytes(leg.Media.CreateOffer()), "application/sdp").ToMessage()
            : w.NoBody().ToMessage();
        var tx = _ctx.Transactions.CreateClient(request, leg.Dialog.Destination);
        tx.ResponseReceived = (_, r) => Post(() => OnRefreshResponse(leg, request, r));
        tx.Failed = (_, _) => Post(() => Hangup(null, "SIP;cause=408;text=\"Session refresh failed\""));
        tx.Start();
        ArmSessionTimer(leg);
    }

    private void OnRefreshResponse(CallLeg leg, SipMessage request, SipMessage response)
    {
        if (response.StatusCode < 200) return;
        if (request.Method == SipMethod.Invite && response.StatusCode < 300)
        {
            if (response.Body.Length > 0 && leg.Media.ApplyAnswer(response.BodyText) is { } error)
                _logger.LogWarning("call {CallId}: refresh answer from {Peer} refused: {Error}", Id, leg.Peer, error);
            var ack = leg.Dialog.Request(SipMethod.Ack, request.CSeq.Number).NoBody().ToMessage();
            _ctx.Transactions.Sender.Send(ack, leg.Dialog.Destination);
        }
        // §10: 408 or 481 to a refresh means the session is gone.
        if (response.StatusCode is 408 or 481) Hangup(null, "SIP;cause=408;text=\"Session refresh failed\"");
    }
}
