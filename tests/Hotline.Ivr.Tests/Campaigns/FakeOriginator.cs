using Hotline.Ivr.Tests.Support;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.Campaigns;

/// <summary>How a far end treats a call: answers (and maybe presses a key), is busy, never answers, or the call fails.</summary>
internal enum FarEnd { Answer, AnswerAndConfirm, Busy, NoAnswer, Fail, Hang }

/// <summary>
/// The switch placing calls, scripted per number. Calls last on the fake clock (ringing a while, the message
/// as the fake channel plays it); a <see cref="FarEnd.Hang"/> number's call never completes (the switch dies
/// with it in progress). Counts every call per number and the most calls up at once.
/// </summary>
internal sealed class FakeOriginator(FakeTimeProvider time, Func<string, int, FarEnd> script) : ICallOriginator
{
    private readonly object _gate = new();
    private int _current;

    public Dictionary<string, List<DateTimeOffset>> Calls { get; } = [];
    public int MaxConcurrent { get; private set; }
    public List<FakeCall> Answered { get; } = [];
    public TimeSpan RingTime { get; set; } = TimeSpan.FromSeconds(3);

    public int Total
    {
        get { lock (_gate) return Calls.Values.Sum(c => c.Count); }
    }

    public async Task<OriginateResult> OriginateAsync(OriginateRequest request, CancellationToken ct = default)
    {
        var number = request.Target.Value;
        int attempt;
        lock (_gate)
        {
            if (!Calls.TryGetValue(number, out var list)) Calls[number] = list = [];
            list.Add(time.GetUtcNow());
            attempt = list.Count;
            MaxConcurrent = Math.Max(MaxConcurrent, ++_current);
        }
        try
        {
            var behaviour = script(number, attempt);
            if (behaviour == FarEnd.Hang)
            {
                await new TaskCompletionSource().Task;
            }
            await Task.Delay(behaviour == FarEnd.NoAnswer ? request.RingTimeout : RingTime, time, ct);
            switch (behaviour)
            {
                case FarEnd.Busy: return new OriginateResult(ConnectOutcome.Busy, 486, null);
                case FarEnd.NoAnswer: return new OriginateResult(ConnectOutcome.NoAnswer, 480, null);
                case FarEnd.Fail: return new OriginateResult(ConnectOutcome.Failed, 503, null);
            }
            var call = new FakeCall(time, number, number, "pstn");
            await call.AnswerAsync(ct);
            if (behaviour == FarEnd.AnswerAndConfirm) call.Press("1");
            lock (_gate) Answered.Add(call);
            return new OriginateResult(ConnectOutcome.Answered, 200, call);
        }
        finally
        {
            lock (_gate) _current--;
        }
    }

    public int CallsTo(string number)
    {
        lock (_gate) return Calls.TryGetValue(number, out var l) ? l.Count : 0;
    }
}
