using Hotline.Switch.Routing;

namespace Hotline.Switch.Calls;

/// <summary>
/// <see cref="ICallChannel"/> over a <see cref="Call"/>: every operation is posted to the call's
/// executor (so flows never race with SIP events) and completes when the call says so.
/// </summary>
internal sealed class CallChannel : ICallChannel, IChannelMedia
{
    private readonly Call _call;

    public CallChannel(Call call) => _call = call;

    public string CallId => _call.Id;
    public string Caller => _call.Caller;
    public string? CallerName => _call.CallerName;
    public string Dialled => _call.Dialled;
    public string? Trunk => _call.InboundTrunk;
    public string? CallerExtension => _call.CallerExtensionNumber;
    public DateTimeOffset Started => _call.Started;
    public bool Answered => _call.IsAnsweredOnCallerSide;
    public IDictionary<string, string> Variables => _call.Variables;
    public CancellationToken Ended => _call.ChannelEnded;
    IMediaLeg IChannelMedia.Media => _call.ChannelMedia;
    string IChannelMedia.Party => _call.ChannelParty;

    private Task Run(Action work, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Ended);
        _call.Post(() =>
        {
            if (Ended.IsCancellationRequested)
            {
                done.TrySetCanceled(Ended);
                return;
            }
            work();
            done.TrySetResult();
        });
        return done.Task.WaitAsync(linked.Token);
    }

    public Task AnswerAsync(CancellationToken ct = default) => Run(_call.AnswerBySwitch, ct);

    public Task EarlyMediaAsync(CancellationToken ct = default) => Run(_call.OpenEarlyMedia, ct);

    public async Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Ended);
        if (_call.ChannelMedia is not IMediaLegPlayback playback)
            throw new InvalidOperationException("this media leg cannot play prompts");
        var interrupt = CancellationToken.None;
        if (interruptOnDtmf)
        {
            var armed = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            _call.Post(() => armed.TrySetResult(_call.InterruptOnDigit()));
            interrupt = await armed.Task.WaitAsync(linked.Token);
        }
        using var play = CancellationTokenSource.CreateLinkedTokenSource(linked.Token, interrupt);
        try
        {
            var completed = await playback.PlayPromptsAsync(prompts, play.Token);
            return new PlayResult(completed, null);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested && !linked.IsCancellationRequested)
        {
            _call.ChannelMedia.StopPlayback();
            return new PlayResult(false, _call.Digits.TryPeek(out var d) ? d : null);
        }
        finally
        {
            if (linked.IsCancellationRequested) _call.ChannelMedia.StopPlayback();
        }
    }

    public async Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default)
    {
        await Run(() => _call.ChannelMedia.Play(sound), ct);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Ended);
        try
        {
            await Task.Delay(duration, _call.Time, linked.Token);
        }
        finally
        {
            _call.Post(() => _call.ChannelMedia.StopPlayback());
        }
    }

    public void StartMusicOnHold() => _call.Post(() => _call.SetMusicOnHold(true));

    public void StopAudio() => _call.Post(() => _call.SetMusicOnHold(false));

    public async Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Ended);
        var digits = new System.Text.StringBuilder();
        var first = rules.FirstDigitTimeout ?? TimeSpan.FromSeconds(5);
        var between = rules.InterDigitTimeout ?? TimeSpan.FromSeconds(3);
        while (digits.Length < rules.MaxDigits)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            var timeout = digits.Length == 0 ? first : between;
            var delay = Task.Delay(timeout, _call.Time, wait.Token);
            var read = _call.Digits.WaitToReadAsync(wait.Token).AsTask();
            var winner = await Task.WhenAny(read, delay);
            linked.Token.ThrowIfCancellationRequested();
            wait.Cancel();
            if (winner == delay || !_call.Digits.TryRead(out var digit)) break; // timed out
            if (rules.Terminator == digit && digits.Length >= rules.MinDigits) break;
            if (rules.Terminator == digit) continue;
            digits.Append(digit);
        }
        return digits.Length >= rules.MinDigits ? digits.ToString() : digits.Length == 0 ? "" : digits.ToString();
    }

    public async Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, Ended);
        if (_call.ChannelMedia is not IMediaLegPlayback playback)
            throw new InvalidOperationException("this media leg cannot record");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (options.Beep) await PlayAsync([Beep.File(_call.RecordingsRoot)], interruptOnDtmf: false, linked.Token);
        while (_call.Digits.TryRead(out _)) { } // digits pressed before the beep don't stop the recording
        await using var recording = playback.RecordPeer(path);
        var end = RecordEnd.MaxLength;
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), _call.Time, linked.Token);
                if (options.StopDigit is { } stop && _call.Digits.TryPeek(out var d))
                {
                    _call.Digits.TryRead(out _);
                    if (d == stop)
                    {
                        end = RecordEnd.Digit;
                        break;
                    }
                }
                if (recording.Duration >= options.MaxLength) break;
                if (recording.Duration > options.SilenceEnd && recording.SilentFor >= options.SilenceEnd)
                {
                    end = RecordEnd.Silence;
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (Ended.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            end = RecordEnd.HungUp;
        }
        var length = await recording.StopAsync();
        return new RecordResult(path, length, end);
    }

    public Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default) =>
        ConnectAnyAsync([target], options, ct);

    public async Task<ConnectResult> ConnectAnyAsync(IReadOnlyList<RouteTarget> targets, ConnectOptions options, CancellationToken ct = default)
    {
        var completion = new TaskCompletionSource<ConnectResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _call.Post(() => _call.StartConnect(targets, options, completion));
        // Withdrawing the attempt cancels the phones still ringing, so none of them can answer afterwards.
        await using var withdraw = ct.Register(() => _call.Post(() => _call.WithdrawConnect(completion)));
        return await completion.Task.WaitAsync(ct);
    }

    public CancellationToken ConnectedPartyLeft => _call.ConnectedPartyLeft;

    public Task HangupAsync(int status = 0, string? reason = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _call.Post(() =>
        {
            _call.HangupFromChannel(status, reason);
            done.TrySetResult();
        });
        return done.Task;
    }
}
