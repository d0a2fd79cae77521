using System.Threading.Channels;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Core;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// The call as a channel for flows: dials started by a flow (connect), calls placed by the switch
/// (originate), destinations that run on the caller's side, and the caller's DTMF.
/// </summary>
internal sealed partial class Call
{
    private sealed record ConnectState(TaskCompletionSource<ConnectResult> Completion, ConnectOptions Options)
    {
        public ITimer? RingTimer { get; set; }
    }

    private bool _dialling;
    private ConnectState? _connect;
    private TaskCompletionSource<OriginateResult>? _originate;
    private bool _musicOnHold;
    private readonly CancellationTokenSource _channelEnded = new();
    private readonly Channel<char> _digits = Channel.CreateUnbounded<char>(new UnboundedChannelOptions { SingleReader = true });
    private CancellationTokenSource? _playInterrupt;
    private CallChannel? _channel;

    internal CancellationToken ChannelEnded => _channelEnded.Token;
    internal TimeProvider Time => _ctx.Time;
    internal string RecordingsRoot => _ctx.RecordingsRoot;
    internal ChannelReader<char> Digits => _digits.Reader;
    internal IMediaLeg ChannelMedia => _aMedia;
    /// <summary>Who is at the channel's end: the caller's extension or number, or for a call the switch placed, the answering party.</summary>
    internal string ChannelParty => _a?.Peer ?? CallerExtensionNumber ?? _callerNumber;
    internal bool IsAnsweredOnCallerSide => _a?.Answered is not null;
    internal bool IsConnected => _b is not null && State == CallState.Answered;
    internal string Dialled => _cdr.Callee;
    internal string? CallerName => _callerName;
    internal string? CallerExtensionNumber { get; private set; }
    internal Dictionary<string, string> Variables { get; } = [];

    /// <summary>A call the switch places itself (campaigns, click-to-dial, follow-me); see <see cref="CallManager.OriginateAsync"/>.</summary>
    public Call(CallContext ctx, CallManager manager, OriginateRequest request)
    {
        _ctx = ctx;
        _manager = manager;
        _logger = ctx.Loggers.CreateLogger("Hotline.Switch.Calls");
        _exec = new SerialExecutor(_logger, OnEventFault);
        Id = SipIds.NewCallId(ctx.Local.Host);
        _aMedia = ctx.Media.CreateLeg($"{Id}/O");
        _ownedMedia.Add(_aMedia);
        _originate = new TaskCompletionSource<OriginateResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _callerNumber = request.CallerId;
        _callerName = request.CallerName;
        if (request.Variables is not null) foreach (var (k, v) in request.Variables) Variables[k] = v;
        _cdr = new Cdr
        {
            Id = Guid.NewGuid().ToString("N"), CallId = Id, Start = ctx.Time.GetUtcNow(), Caller = request.CallerId,
            CallerName = request.CallerName, Callee = request.Target.Value,
        };
        _cdr.Legs.Add(new CdrLeg { Role = "caller", Peer = "switch", CallId = Id, Start = _cdr.Start });
        _route = new RouteDecision(request.Target, [], request.Record);
    }

    internal Task<OriginateResult> OriginateCompletion => _originate!.Task;

    /// <summary>Runs on the executor: dials the originate target; the first answer becomes the channel's party.</summary>
    public void StartOriginate(OriginateRequest request)
    {
        State = CallState.Ringing;
        var decision = request.Target.Kind == RouteTargetKind.External
            ? _ctx.Router.Route(new RoutingRequest(request.Target.Value, null, null, request.CallerId, request.CallerName, _ctx.Time.GetUtcNow(), Originated: true))
            : new RouteDecision(request.Target, [], request.Record);
        if (decision.Rejected)
        {
            DialFailed(decision.RejectStatus, decision.RejectReason, CallDisposition.Rejected, tone: false);
            return;
        }
        Dial(decision.Target, decision.Attempts);
        if (_dialling) _noAnswer = After(request.RingTimeout, () =>
        {
            if (!_dialling) return;
            foreach (var f in _forks) CancelFork(f, "SIP;cause=480;text=\"No answer\"");
            DialFailed(480, "No Answer", CallDisposition.NoAnswer, tone: false);
        });
    }

    /// <summary>Rings an extension (all its contacts) or an external number through the trunk attempts.</summary>
    private void Dial(RouteTarget target, IReadOnlyList<TrunkAttempt> attempts)
    {
        // A new dial starts clean: earlier forks (answered or not) no longer take part.
        _pastForks.AddRange(_forks);
        _forks.Clear();
        _attempts.Clear();
        _winner = null;
        _earlyMediaFork = null;
        _dialling = true;
        if (_originate is null && !TryCalleeMedia()) return;
        if (target.Kind == RouteTargetKind.Extension)
        {
            // An empty number starts a ring-all dial whose extensions are added by the caller.
            if (target.Value.Length > 0) RingExtension(target.Value);
            return;
        }
        if (target.Kind == RouteTargetKind.External)
        {
            foreach (var attempt in attempts) _attempts.Enqueue(attempt);
            TryNextAttempt();
            return;
        }
        DialFailed(404, $"Cannot dial a {target.Kind}", CallDisposition.Failed, tone: false);
    }

    /// <summary>The media leg a dial offers: the channel's own when the switch is placing the call, else the callee's.</summary>
    private IMediaLeg DialMedia() => _originate is not null ? _aMedia : CalleeMedia();

    /// <summary>Every fork of the current dial failed (or it could not start).</summary>
    private void DialFailed(int status, string? reason, CallDisposition disposition, bool tone)
    {
        _dialling = false;
        if (_originate is { } originate)
        {
            _originate = null;
            State = CallState.Ending;
            _cdr.Disposition = disposition;
            _cdr.HangupSide = HangupSide.Callee;
            _cdr.HangupCause = $"{status} {reason ?? SipResponses.ReasonPhrase(status)}";
            originate.TrySetResult(new OriginateResult(Outcome(status, disposition), status, null));
            Finish();
            return;
        }
        if (_connect is { } connect)
        {
            _connect = null;
            connect.RingTimer?.Dispose();
            StopRingback();
            ResetDial();
            connect.Completion.TrySetResult(new ConnectResult(Outcome(status, disposition), status, null));
            return;
        }
        if (VoicemailFallback() is { } voicemail && status is 408 or 480 or 486 or 487 or 600 or 603 or 503 && !_channelEnded.IsCancellationRequested)
        {
            // The extension didn't take the call: its mailbox does.
            _noAnswer?.Dispose();
            StopRingback();
            ResetDial();
            _logger.LogInformation("call {CallId}: {Callee} did not answer ({Status}), to voicemail", Id, Callee, status);
            RunDestination(voicemail, new RouteTarget(RouteTargetKind.Voicemail, _route!.Target.Value));
            return;
        }
        Fail(status, reason, disposition, tone);
    }

    private static ConnectOutcome Outcome(int status, CallDisposition disposition) => status switch
    {
        486 or 600 => ConnectOutcome.Busy,
        408 or 480 or 487 when disposition == CallDisposition.NoAnswer => ConnectOutcome.NoAnswer,
        480 or 408 => ConnectOutcome.NoAnswer,
        403 or 603 or 404 or 484 or 488 => ConnectOutcome.Rejected,
        _ => ConnectOutcome.Failed,
    };

    /// <summary>The current dial was answered by <paramref name="leg"/> (already ACKed).</summary>
    private void DialAnswered(CallLeg leg)
    {
        _dialling = false;
        if (_originate is { } originate)
        {
            // The switch placed this call: the answering party is the channel's side.
            _originate = null;
            _noAnswer?.Dispose();
            _b = null;
            _a = leg;
            State = CallState.Answered;
            _cdr.Answer = leg.Answered;
            _cdr.Disposition = CallDisposition.Answered;
            ArmAnsweredTimers();
            originate.TrySetResult(new OriginateResult(ConnectOutcome.Answered, 200, OpenChannel()));
            return;
        }
        var connect = _connect;
        _connect = null;
        connect?.RingTimer?.Dispose();
        // A flow's connect says whether to record; otherwise the route's decision, or the trunk's own
        // flag for the trunk the answer came through (recording is the OR of every party's wish).
        var record = connect?.Options.Record ?? ((_route?.Record ?? true) || (_winner?.Trunk?.Record ?? false));
        if (connect?.Options.AcceptDigit is { } digit)
        {
            ConfirmBeforeBridging(leg, digit, connect, record);
            return;
        }
        AnswerCaller(record);
        connect?.Completion.TrySetResult(new ConnectResult(ConnectOutcome.Answered, 200, leg.Peer));
    }

    /// <summary>
    /// Follow-me: the answering party hears a prompt and must press a key before the caller is put
    /// through, so an outside voicemail box that picks up does not take the call.
    /// </summary>
    private void ConfirmBeforeBridging(CallLeg leg, char digit, ConnectState connect, bool record)
    {
        var media = leg.Media;
        var pressed = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnKey(IMediaLeg _, char d) => pressed.TrySetResult(d);
        media.Dtmf += OnKey;
        _ = Task.Run(async () =>
        {
            var ok = false;
            try
            {
                if (connect.Options.AcceptPrompt is { } prompt && media is IMediaLegPlayback playback)
                    _ = playback.PlayPromptsAsync([prompt], _channelEnded.Token);
                var timeout = Task.Delay(TimeSpan.FromSeconds(15), _ctx.Time, _channelEnded.Token);
                ok = await Task.WhenAny(pressed.Task, timeout) == pressed.Task && pressed.Task.Result == digit;
            }
            catch (OperationCanceledException) { }
            finally
            {
                media.Dtmf -= OnKey;
            }
            Post(() =>
            {
                if (State is CallState.Ending or CallState.Ended)
                {
                    connect.Completion.TrySetResult(new ConnectResult(ConnectOutcome.CallerHungUp, 487, null));
                    return;
                }
                media.StopPlayback();
                if (ok)
                {
                    AnswerCaller(record);
                    connect.Completion.TrySetResult(new ConnectResult(ConnectOutcome.Answered, 200, leg.Peer));
                    return;
                }
                SendBye(leg, "SIP;cause=480;text=\"Not accepted\"");
                _b = null;
                StopRingback();
                ResetDial();
                connect.Completion.TrySetResult(new ConnectResult(ConnectOutcome.NoAnswer, 480, null));
            });
        });
    }

    /// <summary>Forgets a finished dial so the flow can try another destination.</summary>
    private void ResetDial()
    {
        _pastForks.AddRange(_forks);
        _forks.Clear();
        _attempts.Clear();
        _winner = null;
        _earlyMediaFork = null;
        if (_bMedia is not null && _bridgedCallee != _bMedia)
        {
            _ownedMedia.Remove(_bMedia);
            _offers.Remove(_bMedia);
            _ = _bMedia.DisposeAsync().AsTask();
            _bMedia = null;
        }
    }

    /// <summary>Runs on the executor: starts a flow's dial, completing when answered or given up.</summary>
    internal void StartConnect(IReadOnlyList<RouteTarget> targets, ConnectOptions options, TaskCompletionSource<ConnectResult> completion)
    {
        if (targets.Count == 0)
        {
            completion.TrySetResult(new ConnectResult(ConnectOutcome.Failed, 404, null));
            return;
        }
        var target = targets[0];
        if (State is CallState.Ending or CallState.Ended)
        {
            completion.TrySetResult(new ConnectResult(ConnectOutcome.CallerHungUp, 487, null));
            return;
        }
        if (_dialling || IsConnected)
        {
            completion.TrySetResult(new ConnectResult(ConnectOutcome.Failed, 491, null));
            return;
        }
        RouteDecision? single = null;
        if (targets.Count == 1)
        {
            single = target.Kind == RouteTargetKind.External ? RouteExternal(target.Value, options) : new RouteDecision(target, [], options.Record);
            if (single.Rejected)
            {
                completion.TrySetResult(new ConnectResult(ConnectOutcome.Rejected, single.RejectStatus, null));
                return;
            }
        }
        if (options.CallerId is { } callerId) _callerNumber = callerId;
        // Only follow-me asks the answering party to accept with a key; reports count these calls apart.
        if (options.AcceptDigit is not null && targets.Any(t => t.Kind == RouteTargetKind.External)) _cdr.FollowMe = true;
        var state = new ConnectState(completion, options);
        _connect = state;
        state.RingTimer = After(options.RingTimeout, () =>
        {
            if (_connect != state) return;
            foreach (var f in _forks) CancelFork(f, "SIP;cause=480;text=\"No answer\"");
            DialFailed(480, "No Answer", CallDisposition.NoAnswer, tone: false);
        });
        if (single is not null)
        {
            Dial(single.Target, single.Attempts);
            return;
        }
        // Ring-all: every extension's phones and every outside number ring in one dial; the first answer wins,
        // the rest are cancelled.
        Dial(new RouteTarget(RouteTargetKind.Extension, ""), []);
        if (!_dialling) return; // the dial failed already (no media port)
        foreach (var t in targets)
        {
            if (t.Kind == RouteTargetKind.Extension) RingExtension(t.Value, alongside: true);
            else if (t.Kind == RouteTargetKind.External) RingExternal(t.Value, options);
        }
        if (_forks.Count == 0) DialFailed(480, "Not Registered", CallDisposition.Failed, tone: false);
    }

    private RouteDecision RouteExternal(string number, ConnectOptions options) =>
        _ctx.Router.Route(new RoutingRequest(number, CallerExtensionNumber, InboundTrunk, options.CallerId ?? _callerNumber, _callerName, _ctx.Time.GetUtcNow()));

    /// <summary>
    /// An outside number among several rung together (simultaneous follow-me): its route's first trunk that takes
    /// the call. There is no fail-over inside such a dial (the other numbers are ringing meanwhile); a number the
    /// routes refuse is left out.
    /// </summary>
    private void RingExternal(string number, ConnectOptions options)
    {
        var decision = RouteExternal(number, options);
        if (decision.Rejected)
        {
            _logger.LogInformation("call {CallId}: {Number} left out of the dial: {Status} {Reason}", Id, number, decision.RejectStatus, decision.RejectReason);
            return;
        }
        foreach (var attempt in decision.Attempts)
            if (TryTrunkFork(attempt)) return;
        _logger.LogInformation("call {CallId}: {Number} left out of the dial: no trunk could take it", Id, number);
    }

    /// <summary>The flow withdrew its connect attempt: everything still ringing is cancelled.</summary>
    internal void WithdrawConnect(TaskCompletionSource<ConnectResult> completion)
    {
        if (_connect is not { } connect || connect.Completion != completion) return;
        foreach (var f in _forks) CancelFork(f, "SIP;cause=487;text=\"Withdrawn\"");
        DialFailed(487, "Withdrawn", CallDisposition.Cancelled, tone: false);
    }

    private CancellationTokenSource _partyLeft = new();

    /// <summary>Cancelled when the connected party leaves a call that goes on (see <see cref="ICallChannel.ConnectedPartyLeft"/>).</summary>
    internal CancellationToken ConnectedPartyLeft => _partyLeft.Token;

    /// <summary>The connected party left (transfer completed, or moved elsewhere): signal flows, arm for the next.</summary>
    private void SignalPartyLeft()
    {
        var old = _partyLeft;
        _partyLeft = new CancellationTokenSource();
        _ = old.CancelAsync();
    }

    /// <summary>
    /// The call's side for flows, made when a flow or destination first takes the call. Only from then on
    /// are the caller's digits collected: a call routed straight to a party has nobody to read them, and its
    /// media leg then runs no in-band detector (a filter bank over every frame of a peer without telephone-event).
    /// </summary>
    private CallChannel OpenChannel()
    {
        if (_channel is null)
        {
            _channel = new CallChannel(this);
            _aMedia.Dtmf += (_, digit) => Post(() => OnDtmf(digit));
        }
        return _channel;
    }

    /// <summary>Hands the caller's side to a destination (IVR flow, queue, voicemail …) and hangs up when it is done.</summary>
    private void RunDestination(ICallDestination destination, RouteTarget target)
    {
        var channel = OpenChannel();
        _ = Task.Run(async () =>
        {
            try
            {
                await destination.RunAsync(channel, target);
            }
            catch (OperationCanceledException) { }
            catch (Exception e)
            {
                _logger.LogError(e, "call {CallId}: destination {Kind} {Name} failed", Id, target.Kind, target.Value);
            }
            Post(OnDestinationFinished);
        });
    }

    private void OnDestinationFinished()
    {
        if (State is CallState.Ending or CallState.Ended || IsConnected || _dialling) return;
        if (State == CallState.Answered) Hangup(null, null);
        else Fail(480, null, CallDisposition.Failed, tone: false);
    }

    /// <summary>Answers the caller for a flow (200 OK with our SDP), without anyone to bridge to yet.</summary>
    internal void AnswerBySwitch()
    {
        if (_a?.Answered is not null || _invite is null || State is CallState.Ending or CallState.Ended) return;
        StopRingback();
        SendAnswer();
        _cdr.Extension ??= null;
    }

    internal void OpenEarlyMedia()
    {
        if (_invite is null || _aSentSdp || _a?.Answered is not null || _aDelayedOffer) return;
        SendProvisionalToCaller(183, withSdp: true);
    }

    internal void SetMusicOnHold(bool on)
    {
        _musicOnHold = on;
        if (on) _aMedia.Play(CallSound.MusicOnHold);
        else _aMedia.StopPlayback();
        _ringback = false;
    }

    private void OnDtmf(char digit)
    {
        _digits.Writer.TryWrite(digit);
        _playInterrupt?.CancelAsync(); // asynchronously: a flow must never resume inline on the call's executor
    }

    /// <summary>Arms barge-in for a prompt: the next digit cancels the returned token.</summary>
    internal CancellationToken InterruptOnDigit()
    {
        _playInterrupt?.Dispose();
        _playInterrupt = new CancellationTokenSource();
        if (_digits.Reader.TryPeek(out _)) _playInterrupt.Cancel(); // typed ahead already: don't start playing
        return _playInterrupt.Token;
    }

    /// <summary>A call event threw: end the call (500 to an unanswered caller, BYE to answered parties) so nothing stays held.</summary>
    private void OnEventFault(Exception fault) => HangupFromChannel(500, "Server Internal Error");

    internal void HangupFromChannel(int status, string? reason)
    {
        if (State is CallState.Ending or CallState.Ended) return;
        if (State == CallState.Answered)
        {
            Hangup(null, reason);
            return;
        }
        foreach (var f in _forks) CancelFork(f, "SIP;cause=487");
        _dialling = false;
        Fail(status == 0 ? 480 : status, reason, CallDisposition.Rejected, tone: false);
    }

    internal void SetCallerExtension(string? number) => CallerExtensionNumber = number;
}
