using System.Threading.Channels;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

/// <summary>How a fake phone reacts when rung.</summary>
internal enum PhoneBehaviour { Manual, Answer, NoAnswer, Busy, Fail }

/// <summary>
/// The switch as the contact centre sees it, simulated: calls (channels), and every ring they or the
/// originator make. Phones answer, ring out (on fake time), or are busy as the test sets them; a
/// <see cref="PhoneBehaviour.Manual"/> ring waits for the test to settle it.
/// </summary>
internal sealed class FakeSwitch : ICallOriginator
{
    private readonly Lock _lock = new();
    private readonly List<Ring> _rings = [];
    private int _ids;

    public FakeSwitch(FakeTimeProvider time) => Time = time;

    public FakeTimeProvider Time { get; }
    public Dictionary<string, PhoneBehaviour> Phones { get; } = [];

    public IReadOnlyList<Ring> Rings
    {
        get { lock (_lock) return _rings.ToList(); }
    }

    public FakeCallChannel NewCall(string caller, string dialled, string? callerExtension = null) =>
        new(this, $"call-{Interlocked.Increment(ref _ids)}", caller, dialled, callerExtension);

    public async Task<ConnectResult> ConnectAsync(FakeCallChannel from, RouteTarget target, ConnectOptions options, CancellationToken ct)
    {
        var ring = Add(new Ring(from, target, options.RingTimeout, options, null));
        var outcome = await ring.WaitAsync(ct).ConfigureAwait(false);
        return new ConnectResult(outcome, outcome == ConnectOutcome.Answered ? 200 : 486, outcome == ConnectOutcome.Answered ? target.Value : null);
    }

    public async Task<OriginateResult> OriginateAsync(OriginateRequest request, CancellationToken ct = default)
    {
        var ring = Add(new Ring(null, request.Target, request.RingTimeout, null, request));
        var outcome = await ring.WaitAsync(ct).ConfigureAwait(false);
        if (outcome != ConnectOutcome.Answered) return new OriginateResult(outcome, 486, null);
        var channel = new FakeCallChannel(this, $"orig-{Interlocked.Increment(ref _ids)}", request.Target.Value, request.CallerId, null) { Answered = true };
        foreach (var (k, v) in request.Variables ?? new Dictionary<string, string>()) channel.Variables[k] = v;
        ring.Channel = channel;
        return new OriginateResult(outcome, 200, channel);
    }

    /// <summary>The phone reacts (its ring-out timer starts) before the test can see the ring: fake time never runs ahead of it.</summary>
    private Ring Add(Ring ring)
    {
        ring.Start(this);
        lock (_lock) _rings.Add(ring);
        return ring;
    }

    /// <summary>Waits (in real time, briefly) for a ring to <paramref name="target"/> not yet settled.</summary>
    public async Task<Ring> RingingAsync(string target, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            lock (_lock)
            {
                var ring = _rings.FirstOrDefault(r => r.Target.Value == target && !r.Settled);
                if (ring is not null) return ring;
            }
            await Task.Delay(2).ConfigureAwait(false);
        }
        throw new Xunit.Sdk.XunitException($"nothing rang {target}; rings: {string.Join(", ", Rings.Select(r => $"{r.Target.Value}({(r.Settled ? r.Outcome : "ringing")})"))}");
    }

    internal sealed class Ring(FakeCallChannel? from, RouteTarget target, TimeSpan timeout, ConnectOptions? options, OriginateRequest? request)
    {
        private readonly TaskCompletionSource<ConnectOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public FakeCallChannel? From { get; } = from;
        public RouteTarget Target { get; } = target;
        public ConnectOptions? Options { get; } = options;
        public OriginateRequest? Request { get; } = request;
        public bool Settled => _outcome.Task.IsCompleted;
        public ConnectOutcome? Outcome => _outcome.Task.IsCompletedSuccessfully ? _outcome.Task.Result : null;
        /// <summary>For an originated call that was answered: the far end's channel.</summary>
        public FakeCallChannel? Channel { get; set; }

        public void Answer() => _outcome.TrySetResult(ConnectOutcome.Answered);
        public void Fail(ConnectOutcome outcome) => _outcome.TrySetResult(outcome);

        public void Start(FakeSwitch sw)
        {
            var behaviour = sw.Phones.GetValueOrDefault(Target.Value, PhoneBehaviour.Manual);
            switch (behaviour)
            {
                case PhoneBehaviour.Answer: Answer(); break;
                case PhoneBehaviour.Busy: Fail(ConnectOutcome.Busy); break;
                case PhoneBehaviour.Fail: Fail(ConnectOutcome.Failed); break;
                case PhoneBehaviour.NoAnswer:
                    _ = Task.Delay(timeout, sw.Time, CancellationToken.None).ContinueWith(_ => Fail(ConnectOutcome.NoAnswer), TaskScheduler.Default);
                    break;
            }
        }

        public async Task<ConnectOutcome> WaitAsync(CancellationToken ct)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, From?.Ended ?? CancellationToken.None);
            try
            {
                return await _outcome.Task.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _outcome.TrySetCanceled();
                throw;
            }
        }
    }
}

/// <summary>A call as a destination sees it; records what was done to it and takes key presses from the test.</summary>
internal sealed class FakeCallChannel : ICallChannel
{
    private readonly FakeSwitch _switch;
    private readonly CancellationTokenSource _ended = new();
    private readonly Channel<char> _keys = Channel.CreateUnbounded<char>();
    private readonly List<string> _log = [];

    public FakeCallChannel(FakeSwitch sw, string callId, string caller, string dialled, string? callerExtension)
    {
        _switch = sw;
        CallId = callId;
        Caller = caller;
        Dialled = dialled;
        CallerExtension = callerExtension;
        Started = sw.Time.GetUtcNow();
    }

    public string CallId { get; }
    public string Caller { get; }
    public string? CallerName => null;
    public string Dialled { get; }
    public string? Trunk => null;
    public string? CallerExtension { get; }
    public DateTimeOffset Started { get; }
    public bool Answered { get; set; }
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>();
    public CancellationToken Ended => _ended.Token;
    public bool MusicOnHold { get; private set; }
    public int? HangupStatus { get; private set; }

    public IReadOnlyList<string> Log
    {
        get { lock (_log) return _log.ToList(); }
    }

    public IEnumerable<string> Played => Log.Where(l => l.StartsWith("play:", StringComparison.Ordinal)).Select(l => l[5..]);

    private void Note(string what)
    {
        lock (_log) _log.Add(what);
    }

    /// <summary>The caller presses keys.</summary>
    public void Press(string keys)
    {
        foreach (var k in keys) _keys.Writer.TryWrite(k);
    }

    /// <summary>The far end hangs up.</summary>
    public void HangUpFarEnd()
    {
        Note("far-end-hangup");
        _ended.Cancel();
    }

    public Task AnswerAsync(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        if (!Answered) Note("answer");
        Answered = true;
        return Task.CompletedTask;
    }

    public Task EarlyMediaAsync(CancellationToken ct = default)
    {
        Note("early-media");
        return Task.CompletedTask;
    }

    public Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        MusicOnHold = false;
        Note("play:" + string.Join(",", prompts));
        // Prompts take no time here; a key already pressed interrupts and stays for the next collection.
        if (interruptOnDtmf && _keys.Reader.TryPeek(out var key)) return Task.FromResult(new PlayResult(false, key));
        return Task.FromResult(new PlayResult(true, null));
    }

    public Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        Note($"tone:{sound}");
        return Task.CompletedTask;
    }

    public void StartMusicOnHold()
    {
        if (!MusicOnHold) Note("moh");
        MusicOnHold = true;
    }

    public void StopAudio()
    {
        MusicOnHold = false;
        Note("stop-audio");
    }

    public async Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default)
    {
        var digits = new System.Text.StringBuilder();
        while (digits.Length < rules.MaxDigits)
        {
            var timeout = digits.Length == 0 ? rules.FirstDigitTimeout : rules.InterDigitTimeout;
            var readable = _keys.Reader.WaitToReadAsync(ct).AsTask();
            if (timeout is { } t)
            {
                var expired = Task.Delay(t, _switch.Time, ct);
                if (await Task.WhenAny(readable, expired).ConfigureAwait(false) == expired && !readable.IsCompleted) break;
            }
            await readable.ConfigureAwait(false);
            if (!_keys.Reader.TryRead(out var key)) continue;
            if (key == rules.Terminator) break;
            digits.Append(key);
        }
        ct.ThrowIfCancellationRequested();
        return digits.ToString();
    }

    public Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default) =>
        Task.FromResult(new RecordResult(path, TimeSpan.Zero, RecordEnd.HungUp));

    public Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default)
    {
        MusicOnHold = false;
        Note($"connect:{target.Kind}:{target.Value}");
        return _switch.ConnectAsync(this, target, options, ct);
    }

    public Task HangupAsync(int status = 0, string? reason = null)
    {
        HangupStatus = status;
        Note($"hangup:{status}");
        _ended.Cancel();
        return Task.CompletedTask;
    }
}
