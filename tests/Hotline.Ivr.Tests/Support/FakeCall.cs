using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.Support;

/// <summary>
/// A scripted caller on a fake channel. The script is what the caller does at each point where the flow
/// waits for them: press keys (during a prompt, so it is interrupted, or after it), stay silent, or hang up.
/// Time moves on the <see cref="FakeTimeProvider"/> as a real call's would: a second per prompt played, the
/// timeout for silence, the recording's length for a recording. Everything the flow did is in <see cref="Log"/>.
/// </summary>
internal sealed class FakeCall : ICallChannel
{
    private readonly FakeTimeProvider _time;
    private readonly CancellationTokenSource _ended = new();
    private readonly Queue<CallerAct> _script = new();
    private string _typeAhead = "";

    public FakeCall(FakeTimeProvider time, string caller = "13800138000", string dialled = "12345", string? trunk = "carrier", string? callerExtension = null)
    {
        _time = time;
        Caller = caller;
        Dialled = dialled;
        Trunk = trunk;
        CallerExtension = callerExtension;
        Started = time.GetUtcNow();
        CallId = "call-" + Guid.NewGuid().ToString("N")[..8];
    }

    public string CallId { get; }
    public string Caller { get; }
    public string? CallerName { get; init; }
    public string Dialled { get; }
    public string? Trunk { get; }
    public string? CallerExtension { get; }
    public DateTimeOffset Started { get; }
    public bool Answered { get; private set; }
    public bool EarlyMedia { get; private set; }
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>();
    public CancellationToken Ended => _ended.Token;

    public List<string> Log { get; } = [];
    /// <summary>Each PlayAsync's prompts, as names ("prompt:x" files are listed as "x").</summary>
    public List<IReadOnlyList<string>> Played { get; } = [];
    public List<(RouteTarget Target, ConnectOptions Options)> Connects { get; } = [];
    public List<string> Recordings { get; } = [];
    public int? HangupStatus { get; private set; }
    public bool HungUpByCaller { get; private set; }

    /// <summary>How the far ends answer ConnectAsync; default: everyone answers.</summary>
    public Func<RouteTarget, ConnectOptions, ConnectResult> OnConnect { get; set; } = (t, _) => new ConnectResult(ConnectOutcome.Answered, 200, t.Value);

    /// <summary>Seconds of audio the caller speaks into each recording, and whether they then hang up instead of pressing #.</summary>
    public double RecordSeconds { get; set; } = 3;
    public bool HangUpWhileRecording { get; set; }

    public IEnumerable<string> AllPrompts => Played.SelectMany(p => p);

    public FakeCall Press(string keys) { _script.Enqueue(new CallerAct(ActKind.Keys, keys, false)); return this; }
    public FakeCall PressDuringPrompt(string keys) { _script.Enqueue(new CallerAct(ActKind.Keys, keys, true)); return this; }
    public FakeCall Silence() { _script.Enqueue(new CallerAct(ActKind.Silence, "", false)); return this; }
    public FakeCall HangUp() { _script.Enqueue(new CallerAct(ActKind.HangUp, "", false)); return this; }

    public Task AnswerAsync(CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        if (!Answered) Log.Add("answer");
        Answered = true;
        return Task.CompletedTask;
    }

    public Task EarlyMediaAsync(CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        EarlyMedia = true;
        Log.Add("early-media");
        return Task.CompletedTask;
    }

    public Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        var names = prompts.Select(Name).ToList();
        Played.Add(names);
        Log.Add("play:" + string.Join(",", names));
        if (_script.TryPeek(out var next) && next.Kind == ActKind.HangUp)
        {
            _script.Dequeue();
            return Task.FromException<PlayResult>(CallerHangsUp());
        }
        if (interruptOnDtmf && _typeAhead.Length == 0 && _script.TryPeek(out next) && next is { Kind: ActKind.Keys, DuringPrompt: true })
        {
            _script.Dequeue();
            _typeAhead = next.Keys;
            _time.Advance(TimeSpan.FromMilliseconds(500));
            return Task.FromResult(new PlayResult(false, next.Keys[0]));
        }
        _time.Advance(TimeSpan.FromSeconds(prompts.Count));
        return Task.FromResult(new PlayResult(true, null));
    }

    /// <summary>"prompt:x" and …/prompts/x.wav (a real prompt library's files) are listed by prompt name.</summary>
    private static string Name(string played)
    {
        if (played.StartsWith("prompt:", StringComparison.Ordinal)) return played[7..];
        var i = played.LastIndexOf("/prompts/", StringComparison.Ordinal);
        return i >= 0 && played.EndsWith(".wav", StringComparison.Ordinal) ? played[(i + 9)..^4] : played;
    }

    public Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        Log.Add($"tone:{sound}");
        _time.Advance(duration);
        return Task.CompletedTask;
    }

    public void StartMusicOnHold() => Log.Add("moh");

    public void StopAudio() => Log.Add("stop-audio");

    public Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        var first = rules.FirstDigitTimeout ?? TimeSpan.FromSeconds(5);
        if (_typeAhead.Length == 0)
        {
            if (!_script.TryDequeue(out var act) || act.Kind == ActKind.Silence)
            {
                _time.Advance(first);
                Log.Add("collect:timeout");
                return Task.FromResult("");
            }
            if (act.Kind == ActKind.HangUp) return Task.FromException<string>(CallerHangsUp());
            _typeAhead = act.Keys;
        }
        var collected = "";
        var terminated = false;
        while (_typeAhead.Length > 0 && collected.Length < rules.MaxDigits)
        {
            var key = _typeAhead[0];
            _typeAhead = _typeAhead[1..];
            if (rules.Terminator == key)
            {
                terminated = true;
                break;
            }
            collected += key;
        }
        if (!terminated && collected.Length < rules.MaxDigits) _time.Advance(rules.InterDigitTimeout ?? TimeSpan.FromSeconds(3));
        Log.Add("collect:" + collected);
        return Task.FromResult(collected);
    }

    public Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        Recordings.Add(path);
        Log.Add("record");
        var seconds = Math.Min(RecordSeconds, options.MaxLength.TotalSeconds);
        TestWav.WriteTone(path, seconds);
        _time.Advance(TimeSpan.FromSeconds(seconds));
        if (HangUpWhileRecording) return Task.FromException<RecordResult>(CallerHangsUp());
        return Task.FromResult(new RecordResult(path, TimeSpan.FromSeconds(seconds), seconds >= options.MaxLength.TotalSeconds ? RecordEnd.MaxLength : RecordEnd.Digit));
    }

    public Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        Connects.Add((target, options));
        Log.Add($"connect:{target.Kind}:{target.Value}");
        var result = OnConnect(target, options);
        _time.Advance(result.Outcome == ConnectOutcome.NoAnswer ? options.RingTimeout : TimeSpan.FromSeconds(2));
        if (result.Outcome == ConnectOutcome.Answered) Answered = true;
        return Task.FromResult(result);
    }

    /// <summary>Several far ends ring together: <see cref="OnConnect"/> answers for each; the first that answers wins.</summary>
    public Task<ConnectResult> ConnectAnyAsync(IReadOnlyList<RouteTarget> targets, ConnectOptions options, CancellationToken ct = default)
    {
        ThrowIfEnded(ct);
        Log.Add("connect-any:" + string.Join(",", targets.Select(t => $"{t.Kind}:{t.Value}")));
        foreach (var target in targets)
            Connects.Add((target, options));
        var results = targets.Select(t => OnConnect(t, options)).ToList();
        var answered = results.FirstOrDefault(r => r.Outcome == ConnectOutcome.Answered);
        var result = answered ?? results[^1];
        _time.Advance(answered is null ? options.RingTimeout : TimeSpan.FromSeconds(2));
        if (answered is not null) Answered = true;
        return Task.FromResult(result);
    }

    public Task HangupAsync(int status = 0, string? reason = null)
    {
        if (_ended.IsCancellationRequested) return Task.CompletedTask;
        HangupStatus = status;
        Log.Add(status == 0 ? "hangup" : $"hangup:{status}");
        _ended.Cancel();
        return Task.CompletedTask;
    }

    private OperationCanceledException CallerHangsUp()
    {
        HungUpByCaller = true;
        Log.Add("caller-hangup");
        _ended.Cancel();
        return new OperationCanceledException(_ended.Token);
    }

    private void ThrowIfEnded(CancellationToken ct)
    {
        _ended.Token.ThrowIfCancellationRequested();
        ct.ThrowIfCancellationRequested();
    }

    private enum ActKind { Keys, Silence, HangUp }

    private sealed record CallerAct(ActKind Kind, string Keys, bool DuringPrompt);
}
