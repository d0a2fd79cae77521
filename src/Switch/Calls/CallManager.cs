using System.Collections.Concurrent;
using Hotline.Switch.Accounts;
using Hotline.Switch.Core;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// Takes new INVITEs and finds the call for every in-dialog request, ACK, CANCEL and stray response,
/// then posts the work to that call's executor. Dialogs are found by Call-ID and our own tag: our tags
/// are random and unique, so the peer's tag is not needed to find them.
/// </summary>
public sealed class CallManager : IRequestHandler, IDialogHandler, ICallOriginator
{
    private readonly CallContext _ctx;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string CallId, string Tag), CallLeg> _legs = new();
    private readonly ConcurrentDictionary<(string CallId, string Tag), (Call Call, Fork Fork)> _forks = new();
    private readonly ConcurrentDictionary<ServerInviteTransaction, Call> _byInvite = new();
    private readonly ConcurrentDictionary<Call, byte> _calls = new();

    public CallManager(CallContext ctx)
    {
        ctx.Options.Validate();
        _ctx = ctx;
        _logger = ctx.Loggers.CreateLogger("Hotline.Switch.Calls");
    }

    private readonly ConcurrentDictionary<Routing.RouteTargetKind, ICallDestination> _destinations = new();

    public int ActiveCalls => _calls.Count;

    private long _rtpTimeouts;

    /// <summary>Answered calls hung up because a party stopped sending media (Calls:RtpTimeoutSeconds).</summary>
    public long RtpTimeouts => Interlocked.Read(ref _rtpTimeouts);

    internal void CountRtpTimeout() => Interlocked.Increment(ref _rtpTimeouts);

    // Enumerates the dictionary in place: Keys would copy every key, under every lock, on each look.
    internal IEnumerable<Call> Calls() => _calls.Select(static entry => entry.Key);

    /// <summary>Registers the destination that runs calls routed to <paramref name="kind"/> (IVR flows, queues …).</summary>
    public void RegisterDestination(Routing.RouteTargetKind kind, ICallDestination destination) => _destinations[kind] = destination;

    internal ICallDestination? Destination(Routing.RouteTargetKind kind) => _destinations.GetValueOrDefault(kind);

    /// <summary>Places a call from the switch (see <see cref="ICallOriginator"/>).</summary>
    public Task<OriginateResult> OriginateAsync(OriginateRequest request, CancellationToken ct = default)
    {
        Call call;
        try
        {
            call = new Call(_ctx, this, request);
        }
        catch (MediaUnavailableException e)
        {
            _logger.LogWarning("cannot place a call to {Target}: {Reason}", request.Target.Value, e.Message);
            return Task.FromResult(new OriginateResult(ConnectOutcome.Failed, 503, null));
        }
        _calls[call] = 0;
        var completion = call.OriginateCompletion;
        call.Post(() => call.StartOriginate(request));
        return completion.WaitAsync(ct);
    }

    /// <summary>A snapshot of live calls for monitoring.</summary>
    public IReadOnlyList<LiveCall> Snapshot() =>
        _calls.Keys.Select(c => new LiveCall(c.Id, c.Caller, c.Callee, c.State, c.Started, c.InboundTrunk, c.LegsSnapshot())).ToList();

    /// <summary>Ends a live call from outside (a supervisor in the panel); false when there is no such call.</summary>
    public bool HangUp(string callId, string reason)
    {
        var call = _calls.Keys.FirstOrDefault(c => c.Id == callId);
        if (call is null) return false;
        var cause = $"SIP;cause=200;text=\"{reason.Replace('"', '\'')}\"";
        call.Post(() => call.HangupFromChannel(487, cause));
        return true;
    }

    /// <summary>A new INVITE from outside any dialog, already authenticated by the core.</summary>
    public void Handle(ServerTransaction transaction, Extension? caller)
    {
        var invite = (ServerInviteTransaction)transaction;
        string? trunk = caller is null ? _ctx.Trunks?.MatchInbound(invite.Request) : null;
        Call call;
        try
        {
            call = new Call(_ctx, this, invite, trunk);
        }
        catch (MediaUnavailableException e)
        {
            _logger.LogWarning("refusing a call: {Reason}", e.Message);
            _ctx.Core.Respond(invite, 503, "No media resources", extra: w => w.Header(HeaderId.RetryAfter, "5"));
            return;
        }
        _calls[call] = 0;
        _byInvite[invite] = call;
        call.Post(() => call.Start(caller));
    }

    // Registration and removal run on the call's own thread; the call remembers its keys so that its end
    // removes exactly those, instead of scanning every live call's legs (quadratic in the calls up).
    internal void RegisterLeg(CallLeg leg)
    {
        var key = (leg.Dialog.CallId, leg.Dialog.LocalTag);
        _legs[key] = leg;
        leg.Call.DialogKeys.Add(key);
    }

    internal void UnregisterLeg(CallLeg leg) =>
        _legs.TryRemove(new KeyValuePair<(string, string), CallLeg>((leg.Dialog.CallId, leg.Dialog.LocalTag), leg));

    internal void RegisterFork(Call call, Fork fork)
    {
        var key = (fork.Dialog.CallId, fork.Dialog.LocalTag);
        _forks[key] = (call, fork);
        call.DialogKeys.Add(key);
    }

    /// <summary>Legs and forks indexed for in-dialog requests and responses (for tests and statistics).</summary>
    internal int IndexedDialogs => _legs.Count + _forks.Count;

    /// <summary>Finds a leg by Call-ID and either tag (Replaces names tags from the other side's view).</summary>
    internal CallLeg? FindLeg(string callId, string? tagA, string? tagB)
    {
        if (tagA is not null && _legs.TryGetValue((callId, tagA), out var a)) return a;
        if (tagB is not null && _legs.TryGetValue((callId, tagB), out var b)) return b;
        return null;
    }

    internal void Unregister(Call call)
    {
        _calls.TryRemove(call, out _);
        if (call.Invite is { } invite) _byInvite.TryRemove(invite, out _);
        foreach (var key in call.DialogKeys)
        {
            if (_legs.TryGetValue(key, out var leg) && leg.Call == call) _legs.TryRemove(new KeyValuePair<(string, string), CallLeg>(key, leg));
            if (_forks.TryGetValue(key, out var entry) && entry.Call == call) _forks.TryRemove(new KeyValuePair<(string, string), (Call, Fork)>(key, entry));
        }
    }

    public bool HandleInDialog(ServerTransaction transaction)
    {
        var request = transaction.Request;
        if (!_legs.TryGetValue((request.CallId, request.Text(request.To.Tag)), out var leg)) return false;
        leg.Call.Post(() => leg.Call.OnInDialogRequest(leg, transaction));
        return true;
    }

    public void HandleAck(SipMessage ack)
    {
        if (_legs.TryGetValue((ack.CallId, ack.Text(ack.To.Tag)), out var leg)) leg.Call.Post(() => leg.Call.OnAck(leg, ack));
    }

    public void HandleCancel(ServerInviteTransaction invite, SipMessage cancel)
    {
        if (_byInvite.TryGetValue(invite, out var call)) call.Post(call.OnCancel);
        else if (!invite.HasFinalResponse) _ctx.Core.Respond(invite, 487);
    }

    /// <summary>A 2xx retransmitted after its transaction ended: our ACK was lost, so ACK again.</summary>
    public void HandleStrayResponse(SipMessage response)
    {
        if (response.StatusCode is < 200 or >= 300 || response.CSeq.Method != SipMethod.Invite) return;
        if (_legs.TryGetValue((response.CallId, response.Text(response.From.Tag)), out var leg) && leg.Dialog.Confirmed)
        {
            var ack = leg.Dialog.Request(SipMethod.Ack, response.CSeq.Number).NoBody().ToMessage();
            _ctx.Transactions.Sender.Send(ack, leg.Dialog.Destination);
        }
    }
}

/// <summary>A live call as monitoring sees it.</summary>
public sealed record LiveCall(string CallId, string Caller, string Callee, CallState State, DateTimeOffset Started, string? InboundTrunk,
    IReadOnlyList<LiveLeg> Legs);

/// <summary>One party of a live call: who, and how its media is doing.</summary>
public sealed record LiveLeg(string Role, string Peer, MediaLegStats Media);
