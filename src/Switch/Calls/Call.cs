using Hotline.Switch.Accounts;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Core;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

public enum CallState { Routing, Ringing, Answered, Ending, Ended }

/// <summary>
/// One call through the B2BUA: the caller's dialog (A) and the callee's (B), each with its own
/// anchored media leg, bridged at answer. Everything that happens to a call — responses, requests,
/// timers — is posted to its <see cref="SerialExecutor"/>, so its state is only ever touched by one
/// thread at a time and needs no locks.
/// </summary>
internal sealed partial class Call
{
    private readonly CallContext _ctx;
    private readonly CallManager _manager;
    private readonly SerialExecutor _exec;
    private readonly ILogger _logger;
    private readonly ServerInviteTransaction? _invite;
    private readonly string _aTag = SipIds.NewTag();
    private readonly IMediaLeg _aMedia;
    private readonly List<Fork> _forks = [];      // the current dial's forks
    private readonly List<Fork> _pastForks = [];  // earlier dials' forks, for the CDR and releasing trunks

    /// <summary>The (Call-ID, local tag) keys of every leg and fork the manager indexes for this call (call's thread only).</summary>
    internal List<(string CallId, string Tag)> DialogKeys { get; } = [];
    private readonly Queue<TrunkAttempt> _attempts = new();
    private readonly Cdr _cdr;
    private readonly bool _aRequires100rel;
    private IMediaLeg? _bMedia;
    private string? _aSdp;           // our answer to A's offer, or our offer when A sent none
    private bool _aDelayedOffer;
    private bool _aSentSdp;          // A has our SDP in a provisional already
    private bool _ringback;
    private Fork? _winner;
    private Fork? _earlyMediaFork;
    private CallLeg? _a;
    private CallLeg? _b;
    private IMediaBridge? _bridge;
    private IMediaLeg? _bridgedCaller;
    private IMediaLeg? _bridgedCallee;
    private readonly List<string> _recordings = [];
    private readonly HashSet<IMediaLeg> _ownedMedia = [];
    private ITimer? _noAnswer;
    private ITimer? _failureTone;
    private ITimer? _maxDuration;
    private ITimer? _mediaWatch;
    private RouteDecision? _route;
    private string _callerNumber = "";
    private string? _callerName;

    public Call(CallContext ctx, CallManager manager, ServerInviteTransaction invite, string? inboundTrunk)
    {
        _ctx = ctx;
        _manager = manager;
        _invite = invite;
        _logger = ctx.Loggers.CreateLogger("Hotline.Switch.Calls");
        _exec = new SerialExecutor(_logger, OnEventFault);
        InboundTrunk = inboundTrunk;
        var request = invite.Request;
        Id = request.CallId;
        _aRequires100rel = request.HasToken(HeaderId.Require, "100rel");
        _aMedia = ctx.Media.CreateLeg($"{Id}/A");
        _ownedMedia.Add(_aMedia);
        var now = ctx.Time.GetUtcNow();
        _cdr = new Cdr { Id = Guid.NewGuid().ToString("N"), CallId = Id, Start = now, InboundTrunk = inboundTrunk };
    }

    public string Id { get; }
    public string? InboundTrunk { get; }
    public CallState State { get; private set; } = CallState.Routing;
    public string ATag => _aTag;
    public DateTimeOffset Started => _cdr.Start;
    public string Caller => _cdr.Caller;
    public string Callee => _cdr.Callee;
    internal ServerInviteTransaction? Invite => _invite;

    public void Post(Action work) => _exec.Post(work);

    private ITimer After(TimeSpan due, Action work) =>
        _ctx.Time.CreateTimer(static s => ((Action)s!)(), (Action)(() => Post(work)), due, Timeout.InfiniteTimeSpan);

    /// <summary>Runs on the executor: answers 100, routes, prepares the caller's media, and starts ringing.</summary>
    public void Start(Extension? callerExtension)
    {
        var request = _invite!.Request;
        _ctx.Core.Respond(_invite, 100);
        // Destinations run for this call (feature codes, own-mailbox voicemail, prompt recording) act on the authenticated phone.
        SetCallerExtension(callerExtension?.Number);
        _callerNumber = CallerNumber(request, callerExtension);
        _callerName = callerExtension?.DisplayName ?? DisplayName(request, request.From);
        var dialled = DialledOf(request);
        _cdr.Caller = _callerNumber;
        _cdr.CallerName = _callerName;
        _cdr.Callee = dialled;
        if (InboundTrunk is not null) _cdr.Did = dialled;
        _cdr.Legs.Add(new CdrLeg { Role = "caller", Peer = callerExtension?.Number ?? $"{InboundTrunk}:{_callerNumber}", CallId = Id, Start = _cdr.Start });

        _route = _ctx.Router.Route(new RoutingRequest(dialled, callerExtension?.Number, InboundTrunk, _callerNumber, _callerName, _ctx.Time.GetUtcNow()));
        if (_route.CallerNumber is { Length: > 0 } normalised) _callerNumber = normalised;
        if (_route.Rejected)
        {
            Fail(_route.RejectStatus, _route.RejectReason, CallDisposition.Rejected, tone: false);
            return;
        }
        if (RefuseTooShortSession() || !PrepareCallerMedia()) return;
        if (_route.Target.Kind is RouteTargetKind.Extension or RouteTargetKind.External)
        {
            State = CallState.Ringing;
            Dial(_route.Target, _route.Attempts);
            var ring = VoicemailFallback() is not null ? _ctx.Options.VoicemailAfterSeconds : _ctx.Options.NoAnswerSeconds;
            if (_dialling) _noAnswer = After(TimeSpan.FromSeconds(ring), OnNoAnswer);
            return;
        }
        // IVR flows, queues, voicemail, conferences and feature codes run as destinations on the call's channel.
        if (_manager.Destination(_route.Target.Kind) is not { } destination)
        {
            Fail(480, $"No service for {_route.Target.Kind} destinations", CallDisposition.Failed, tone: true);
            return;
        }
        State = CallState.Ringing;
        RunDestination(destination, _route.Target);
    }

    /// <summary>Answers A's SDP offer now (or prepares our offer, for an INVITE without SDP); 488 when no codec fits.</summary>
    private bool PrepareCallerMedia()
    {
        var request = _invite!.Request;
        if (request.Body.Length > 0)
        {
            var answer = _aMedia.AnswerOffer(request.BodyText);
            if (!answer.Ok)
            {
                var reason = answer.Error ?? "incompatible media";
                Fail(488, null, CallDisposition.Failed, tone: false,
                    extra: w => w.Header(HeaderId.Warning, $"305 {_ctx.Local.Host} \"{reason.Replace('"', '\'')}\""));
                return false;
            }
            _aSdp = answer.Sdp;
            return true;
        }
        _aDelayedOffer = true;
        _aSdp = _aMedia.CreateOffer();
        return true;
    }

    private static string DialledOf(SipMessage request)
    {
        if (SipUri.TryParse(request.Span(request.RequestUri), out var uri, out _) && uri.User is not null)
            return uri.IsTel ? uri.User : uri.UserUnescaped!;
        return "";
    }

    /// <summary>The caller's number: the authenticated extension, else P-Asserted-Identity, else From.</summary>
    private static string CallerNumber(SipMessage request, Extension? extension)
    {
        if (extension is not null) return extension.Number;
        var pai = request.First(HeaderId.PAssertedIdentity);
        if (pai.IsPresent && NameAddrHeader.TryParse(request.Bytes, pai, out var p, out _) && UserOf(request, p.Uri) is { } paiUser)
            return paiUser;
        return UserOf(request, request.From.Uri) ?? "anonymous";
    }

    private static string? UserOf(SipMessage m, ByteRange uri) =>
        SipUri.TryParse(m.Span(uri), out var u, out _) ? (u.IsTel ? u.User : u.UserUnescaped) : null;

    private static string? DisplayName(SipMessage m, NameAddrHeader h) =>
        !h.DisplayName.IsPresent ? null : h.DisplayNameQuoted ? SipText.Unquote(m.Span(h.DisplayName)) : m.Text(h.DisplayName);

    /// <summary>The mailbox destination an unanswered call to an extension goes to, when there is one.</summary>
    private ICallDestination? VoicemailFallback() =>
        _route?.Target.Kind == RouteTargetKind.Extension && _ctx.Options.VoicemailAfterSeconds > 0 && _invite is not null
            ? _manager.Destination(RouteTargetKind.Voicemail) : null;

    private void OnNoAnswer()
    {
        if (State != CallState.Ringing || _connect is not null) return;
        if (VoicemailFallback() is not null)
        {
            foreach (var f in _forks) CancelFork(f, "SIP;cause=480;text=\"No answer\"");
            DialFailed(480, "No Answer", CallDisposition.NoAnswer, tone: false);
            return;
        }
        _logger.LogInformation("call {CallId} from {Caller} to {Callee} not answered in {Seconds} s", Id, Caller, Callee, _ctx.Options.NoAnswerSeconds);
        foreach (var f in _forks) CancelFork(f, "SIP;cause=480;text=\"No answer\"");
        Fail(480, "No Answer", CallDisposition.NoAnswer, tone: false);
    }

    /// <summary>
    /// The parties as they stand, for monitoring. Read from outside the executor: a leg may change just
    /// after, which only makes the snapshot a moment old.
    /// </summary>
    internal IReadOnlyList<LiveLeg> LegsSnapshot()
    {
        var legs = new List<LiveLeg>(2);
        if (Volatile.Read(ref _a) is { } a) legs.Add(new LiveLeg("caller", a.Peer, a.Media.Stats));
        else if (_invite is not null) legs.Add(new LiveLeg("caller", _cdr.Legs.Count > 0 ? _cdr.Legs[0].Peer : Caller, _aMedia.Stats));
        if (Volatile.Read(ref _b) is { } b) legs.Add(new LiveLeg("callee", b.Peer, b.Media.Stats));
        return legs;
    }

    /// <summary>The call as a two-party call (caller first), or null when it isn't one right now.</summary>
    internal BridgedCall? Bridged()
    {
        var a = Volatile.Read(ref _a);
        var b = Volatile.Read(ref _b);
        if (State != CallState.Answered || a is null || b is null || a.Ended || b.Ended) return null;
        return new BridgedCall(Id, [a.Peer, b.Peer], b.Answered ?? a.Answered ?? Started, _bridge?.RecordingPath);
    }

    /// <summary>Runs on the executor: moves the call's bridged media into a mixing room, both parties as talkers.</summary>
    internal void MoveIntoRoom(IMediaRooms rooms, IMixingRoom room, TaskCompletionSource<IReadOnlyList<IMixMember>> moved, CancellationToken ct)
    {
        if (Bridged() is null || _bridge is null)
        {
            moved.TrySetException(new InvalidOperationException($"call {Id} is not a connected two-party call"));
            return;
        }
        var (a, b) = (_a!, _b!);
        rooms.MoveBridgeAsync(_bridge, room, Id, a.Peer, b.Peer, ct).ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully) moved.TrySetResult(t.Result);
            else if (t.IsCanceled) moved.TrySetCanceled(ct);
            else moved.TrySetException(t.Exception!.InnerExceptions);
        }, TaskScheduler.Default);
    }

    public override string ToString() => $"call {Id} {Caller}->{Callee} {State}";
}
