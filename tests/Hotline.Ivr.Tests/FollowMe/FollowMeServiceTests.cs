using Hotline.Ivr.Calls;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Tests.Support;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Ivr.Tests.FollowMe;

/// <summary>Follow-me rings the desk, then the user's outside numbers, one after another or all at once.</summary>
public sealed class FollowMeServiceTests : IDisposable
{
    private readonly IvrTestKit _kit = new();
    private readonly FollowMeService _service;

    public FollowMeServiceTests() => _service = new FollowMeService(_kit.Store, _kit.CallPrompts, NullLogger.Instance);

    public void Dispose() => _kit.Dispose();

    private static FollowMeProfile Profile(FollowMeMode mode, bool away = false) => new()
    {
        Id = "1001",
        Away = away,
        Mode = mode,
        Numbers = [new FollowMeNumber("13800000001", 20), new FollowMeNumber("13800000002", 30)],
    };

    private static ConnectResult NoAnswer => new(ConnectOutcome.NoAnswer, 480, null);

    [Fact]
    public async Task Sequential_rings_the_desk_then_each_number_in_order_until_one_answers()
    {
        var call = _kit.Call();
        call.OnConnect = (t, _) => t.Value == "13800000002" ? new ConnectResult(ConnectOutcome.Answered, 200, t.Value) : NoAnswer;

        var result = await _service.RunAsync(call, Profile(FollowMeMode.Sequential), ringExtension: true, TestContext.Current.CancellationToken);

        Assert.Equal(ConnectOutcome.Answered, result.Outcome);
        Assert.Equal(["connect:Extension:1001", "connect:External:13800000001", "connect:External:13800000002"], call.Log);
        // Each outside number rings for its own time and must press the accept key; the call is recorded.
        Assert.Equal(TimeSpan.FromSeconds(20), call.Connects[1].Options.RingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), call.Connects[2].Options.RingTimeout);
        Assert.All(call.Connects.Skip(1), c => Assert.Equal('1', c.Options.AcceptDigit));
        Assert.All(call.Connects.Skip(1), c => Assert.Equal("prompt:" + SystemPrompts.FollowMeAccept, c.Options.AcceptPrompt));
        Assert.All(call.Connects, c => Assert.True(c.Options.Record));
    }

    [Fact]
    public async Task Simultaneous_rings_every_number_together_for_the_longest_ring_time()
    {
        var call = _kit.Call();
        call.OnConnect = (t, _) => t.Kind == RouteTargetKind.External && t.Value == "13800000002"
            ? new ConnectResult(ConnectOutcome.Answered, 200, t.Value) : NoAnswer;

        var result = await _service.RunAsync(call, Profile(FollowMeMode.Simultaneous, away: true), ringExtension: true, TestContext.Current.CancellationToken);

        Assert.Equal(ConnectOutcome.Answered, result.Outcome);
        Assert.Equal("13800000002", result.AnsweredBy);
        // Away: the desk is skipped; both mobiles in one fork, not one after another.
        Assert.Equal(["connect-any:External:13800000001,External:13800000002"], call.Log);
        Assert.All(call.Connects, c => Assert.Equal(TimeSpan.FromSeconds(30), c.Options.RingTimeout));
        Assert.All(call.Connects, c => Assert.Equal('1', c.Options.AcceptDigit));
    }

    [Fact]
    public async Task Nobody_answering_says_so_and_a_caller_hanging_up_stops_the_list()
    {
        var call = _kit.Call();
        call.OnConnect = (_, _) => NoAnswer;
        var result = await _service.RunAsync(call, Profile(FollowMeMode.Sequential, away: true), ringExtension: true, TestContext.Current.CancellationToken);
        Assert.Equal(ConnectOutcome.NoAnswer, result.Outcome);
        Assert.Equal(2, call.Connects.Count);

        var gone = _kit.Call();
        gone.OnConnect = (_, _) => new ConnectResult(ConnectOutcome.CallerHungUp, 487, null);
        result = await _service.RunAsync(gone, Profile(FollowMeMode.Sequential, away: true), ringExtension: false, TestContext.Current.CancellationToken);
        Assert.Equal(ConnectOutcome.CallerHungUp, result.Outcome);
        Assert.Single(gone.Connects);
    }

    [Fact]
    public void A_profile_with_a_bad_number_is_refused_naming_it()
    {
        var bad = Profile(FollowMeMode.Sequential) with { Numbers = [new FollowMeNumber("12a", 20)] };
        var error = Assert.Throws<IvrValidationException>(() => _service.Save(bad));
        Assert.Contains("numbers[0].number", error.Message);
    }
}
