using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Campaigns;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Tests.Support;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.Campaigns;

/// <summary>The dialer on fake time against a scripted originator: limits, hours, retries, results, totals, restarts.</summary>
public sealed class CampaignTests : IDisposable
{
    private readonly IvrTestKit _kit = new();
    private readonly CampaignService _campaigns;

    public CampaignTests() => _campaigns = new CampaignService(new CampaignStore(_kit.Store), _kit.Time);

    public void Dispose() => _kit.Dispose();

    private CampaignDialer Dialer(FakeOriginator originator, CampaignStore? store = null, BlacklistService? blacklist = null, FakeTimeProvider? time = null) =>
        new(store ?? _campaigns.Store, originator, blacklist ?? _kit.Blacklist, _kit.Schedules, _kit.CallPrompts, time ?? _kit.Time, NullLogger.Instance);

    private static Campaign Notice(string id = "flood", int maxConcurrent = 10, double cps = 5, int attempts = 2, double retryDelay = 300, char? confirm = null) => new()
    {
        Id = id, Name = "Flood warning", Message = "flood-warning", CallerId = "12345", MaxConcurrent = maxConcurrent, CallsPerSecond = cps,
        RingSeconds = 20, MaxAttempts = attempts, RetryDelaySeconds = retryDelay, ConfirmDigit = confirm, PlayTimes = 1,
    };

    private static string Phone(int i) => $"1390000{i:D4}";

    /// <summary>
    /// Pumps and moves the clock until the campaign is finished (bounded): 100 ms steps while calls are up,
    /// <paramref name="idleStep"/> (default 1 s) while the dialer waits for a retry or for its hours.
    /// </summary>
    private async Task RunToEnd(CampaignDialer dialer, string id, FakeTimeProvider? time = null, TimeSpan? limit = null, TimeSpan? idleStep = null)
    {
        var clock = time ?? _kit.Time;
        var store = new CampaignStore(_kit.Store);
        var end = clock.GetUtcNow() + (limit ?? TimeSpan.FromHours(2));
        while (clock.GetUtcNow() < end)
        {
            await dialer.PumpAsync();
            if (store.Get(id)?.State is CampaignState.Completed) return;
            clock.Advance(dialer.InFlight > 0 ? TimeSpan.FromMilliseconds(100) : idleStep ?? TimeSpan.FromSeconds(1));
            await Task.Yield();
        }
        Assert.Fail($"campaign {id} did not finish: {_campaigns.Totals(id)}");
    }

    [Fact]
    public async Task A_hundred_numbers_in_known_proportions_give_exact_totals()
    {
        // 0-49 answer, 50-79 busy, 80-99 never answer; two attempts each.
        var originator = new FakeOriginator(_kit.Time, (n, _) => int.Parse(n[^4..]) switch { < 50 => FarEnd.Answer, < 80 => FarEnd.Busy, _ => FarEnd.NoAnswer });
        _campaigns.Create(Notice(maxConcurrent: 10, cps: 5, attempts: 2, retryDelay: 60), Enumerable.Range(0, 100).Select(Phone));
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        var t = _campaigns.Totals("flood");
        Assert.Equal((100, 50, 30, 20, 0), (t.Numbers, t.Answered, t.Busy, t.NoAnswer, t.Pending + t.InProgress));
        Assert.Equal((50, 50), (t.Succeeded, t.FailedTotal));
        Assert.Equal(50 + 30 * 2 + 20 * 2, t.Calls);
        Assert.Equal(t.Calls, originator.Total);
        Assert.All(Enumerable.Range(0, 50), i => Assert.Equal(1, originator.CallsTo(Phone(i))));
        Assert.All(Enumerable.Range(50, 50), i => Assert.Equal(2, originator.CallsTo(Phone(i))));
        Assert.All(originator.Answered, c => Assert.Equal(["flood-warning"], c.AllPrompts));
        Assert.Equal(CampaignState.Completed, _campaigns.Get("flood")!.State);
    }

    [Fact]
    public async Task Never_more_calls_at_once_than_the_limit_nor_faster_than_the_rate()
    {
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Answer) { RingTime = TimeSpan.FromSeconds(10) };
        _campaigns.Create(Notice(maxConcurrent: 4, cps: 2), Enumerable.Range(0, 40).Select(Phone));
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        Assert.Equal(4, originator.MaxConcurrent);
        var starts = originator.Calls.Values.SelectMany(c => c).Order().ToList();
        // A token bucket of 2/s holding at most 2: any 1 s window sees at most 2 + 2 calls, and 40 calls take 19 s at least.
        for (var i = 0; i < starts.Count; i++)
            Assert.True(starts.Count(s => s >= starts[i] && s < starts[i] + TimeSpan.FromSeconds(1)) <= 4);
        Assert.True(starts[^1] - starts[0] >= TimeSpan.FromSeconds(19));
    }

    [Fact]
    public async Task Busy_numbers_are_retried_after_the_delay_up_to_the_limit()
    {
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Busy);
        _campaigns.Create(Notice(attempts: 3, retryDelay: 120), [Phone(1)]);
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        var number = Assert.Single(_campaigns.Numbers("flood"));
        Assert.Equal((3, CallOutcome.Busy, NumberState.Done), (number.Attempts, number.Outcome, number.State));
        Assert.Equal(3, number.Log.Count);
        Assert.All(number.Log, a => Assert.Equal((CallOutcome.Busy, 486), (a.Outcome!.Value, a.Status)));
        for (var i = 1; i < 3; i++)
        {
            var gap = number.Log[i].Started - number.Log[i - 1].Ended!.Value;
            Assert.InRange(gap, TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(121));
        }
    }

    [Fact]
    public async Task A_number_answered_on_the_second_try_is_a_success_with_two_attempts()
    {
        var originator = new FakeOriginator(_kit.Time, (_, attempt) => attempt == 1 ? FarEnd.NoAnswer : FarEnd.Answer);
        _campaigns.Create(Notice(attempts: 3, retryDelay: 30), [Phone(1)]);
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        var number = Assert.Single(_campaigns.Numbers("flood"));
        Assert.Equal((2, CallOutcome.Answered), (number.Attempts, number.Outcome));
        Assert.Equal([CallOutcome.NoAnswer, CallOutcome.Answered], number.Log.Select(a => a.Outcome!.Value));
    }

    [Fact]
    public async Task Press_1_to_confirm_is_recorded_per_number()
    {
        var originator = new FakeOriginator(_kit.Time, (n, _) => n.EndsWith('1') ? FarEnd.AnswerAndConfirm : FarEnd.Answer);
        _campaigns.Create(Notice(confirm: '1'), [Phone(1), Phone(2)]);
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        var numbers = _campaigns.Numbers("flood");
        Assert.Equal(CallOutcome.Confirmed, numbers[0].Outcome);
        Assert.Equal(CallOutcome.Answered, numbers[1].Outcome);
        var t = _campaigns.Totals("flood");
        Assert.Equal((1, 1, 2), (t.Confirmed, t.Answered, t.Succeeded));
        var confirmed = originator.Answered.Single(c => c.Caller == Phone(1));
        Assert.Equal(["flood-warning", "campaign-confirm", "campaign-thanks"], confirmed.AllPrompts);
    }

    [Fact]
    public async Task Blacklisted_numbers_are_skipped_without_a_call()
    {
        _kit.Blacklist.Save(new BlacklistEntry { Kind = BlacklistKind.Exact, Number = Phone(2) });
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Answer);
        _campaigns.Create(Notice(), [Phone(1), Phone(2), Phone(3)]);
        _campaigns.Start("flood");
        await RunToEnd(Dialer(originator), "flood");
        Assert.Equal(0, originator.CallsTo(Phone(2)));
        var t = _campaigns.Totals("flood");
        Assert.Equal((2, 1, 0), (t.Succeeded, t.Skipped, t.FailedTotal));
    }

    [Fact]
    public async Task Calls_only_within_the_allowed_hours()
    {
        // 19:59:50 on a Monday in Beijing; the window closes at 20:00 and opens at 09:00.
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 5, 6, 19, 59, 50, TimeSpan.FromHours(8)));
        var campaigns = new CampaignService(new CampaignStore(_kit.Store), time);
        var originator = new FakeOriginator(time, (_, _) => FarEnd.Answer) { RingTime = TimeSpan.FromSeconds(1) };
        campaigns.Create(Notice(maxConcurrent: 1, cps: 0.2) with { Window = new CallingWindow(ClockTime.Parse("09:00"), ClockTime.Parse("20:00")) },
            Enumerable.Range(0, 5).Select(Phone));
        campaigns.Start("flood");
        var dialer = Dialer(originator, campaigns.Store, time: time);
        await RunToEnd(dialer, "flood", time, limit: TimeSpan.FromHours(14), idleStep: TimeSpan.FromSeconds(10));
        var starts = originator.Calls.Values.SelectMany(c => c).Select(s => s.ToOffset(TimeSpan.FromHours(8))).Order().ToList();
        Assert.Equal(5, starts.Count);
        Assert.All(starts, s => Assert.True(s.TimeOfDay >= TimeSpan.FromHours(9) && s.TimeOfDay < TimeSpan.FromHours(20), $"called at {s}"));
        Assert.InRange(starts.Count(s => s.Day == 6), 1, 2); // 19:59:50, perhaps 19:59:55 (one call per 5 s)
        Assert.InRange(starts.First(s => s.Day == 7).TimeOfDay, new TimeSpan(9, 0, 0), new TimeSpan(9, 0, 10)); // the next morning, as soon as the window opens
    }

    [Fact]
    public async Task Pause_stops_new_calls_resume_continues_cancel_ends_the_rest()
    {
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Answer);
        _campaigns.Create(Notice(maxConcurrent: 1, cps: 1), Enumerable.Range(0, 10).Select(Phone));
        _campaigns.Start("flood");
        var dialer = Dialer(originator);
        for (var i = 0; i < 30; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); }
        _campaigns.Pause("flood");
        var atPause = originator.Total;
        Assert.InRange(atPause, 1, 9);
        for (var i = 0; i < 600; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); }
        Assert.Equal(atPause, originator.Total);
        _campaigns.Resume("flood");
        for (var i = 0; i < 50; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); }
        Assert.True(originator.Total > atPause);
        _campaigns.Cancel("flood");
        var atCancel = originator.Total;
        for (var i = 0; i < 600; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); }
        Assert.Equal(atCancel, originator.Total);
        var t = _campaigns.Totals("flood");
        Assert.Equal(10, t.Finished);
        Assert.Equal(10 - atCancel, t.Cancelled);
        Assert.Equal(CampaignState.Cancelled, _campaigns.Get("flood")!.State);
    }

    [Fact]
    public async Task A_crash_mid_campaign_calls_nobody_twice_after_the_restart()
    {
        var dir = Path.Combine(_kit.DataDirectory, "crash");
        var time = new FakeTimeProvider(IvrTestKit.MondayMorning);
        // Numbers 0-4 are mid-call when the switch dies; the rest answer.
        var hangs = new HashSet<string>(Enumerable.Range(0, 5).Select(Phone));
        var first = new FakeOriginator(time, (n, _) => hangs.Contains(n) ? FarEnd.Hang : FarEnd.Answer) { RingTime = TimeSpan.FromSeconds(2) };
        var store = new HotlineStore(new StorageOptions { DataDirectory = dir });
        var campaigns = new CampaignService(new CampaignStore(store), time);
        campaigns.Create(Notice(maxConcurrent: 8, cps: 4, attempts: 3, retryDelay: 60), Enumerable.Range(0, 30).Select(Phone));
        campaigns.Start("flood");
        var dialer = new CampaignDialer(campaigns.Store, first, new BlacklistService(store, time), new ScheduleService(store, time), _kit.CallPrompts, time, NullLogger.Instance);
        for (var i = 0; i < 40; i++) { await dialer.PumpAsync(); time.Advance(TimeSpan.FromMilliseconds(100)); }
        var calledBefore = first.Calls.Keys.ToHashSet();
        Assert.Superset(hangs, calledBefore);
        Assert.True(calledBefore.Count < 30, "the crash came mid-campaign");
        var cutOff = dialer.InFlight; // the five that hang, and whatever else was ringing at that moment
        Assert.InRange(cutOff, 5, 8);
        store.Dispose(); // the process dies: nothing more is written, the hanging calls never finish

        store = new HotlineStore(new StorageOptions { DataDirectory = dir });
        var second = new FakeOriginator(time, (_, _) => FarEnd.Answer);
        campaigns = new CampaignService(new CampaignStore(store), time);
        var restarted = new CampaignDialer(campaigns.Store, second, new BlacklistService(store, time), new ScheduleService(store, time), _kit.CallPrompts, time, NullLogger.Instance);
        Assert.Equal(cutOff, restarted.Recover());
        for (var i = 0; i < 3000 && campaigns.Get("flood")!.State != CampaignState.Completed; i++) { await restarted.PumpAsync(); time.Advance(TimeSpan.FromMilliseconds(100)); }
        Assert.Equal(CampaignState.Completed, campaigns.Get("flood")!.State);
        foreach (var n in Enumerable.Range(0, 30).Select(Phone))
            Assert.Equal(1, first.CallsTo(n) + second.CallsTo(n));
        var t = campaigns.Totals("flood");
        Assert.Equal((30 - cutOff, cutOff, 30), (t.Answered, t.Interrupted, t.Calls));
        var interrupted = campaigns.Numbers("flood").First(n => n.Outcome == CallOutcome.Interrupted);
        Assert.Equal(1, interrupted.Attempts);
        Assert.NotNull(Assert.Single(interrupted.Log).Ended);
        store.Dispose();
    }

    [Fact]
    public async Task A_campaign_started_while_the_dialer_idles_is_called_on_the_next_pass_through_any_store_instance()
    {
        // The dialer reads the campaigns only when one was written since it last found none running; the
        // campaign is written through another CampaignStore over the same store, as the admin API does.
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Answer) { RingTime = TimeSpan.FromSeconds(5) };
        var dialer = Dialer(originator, store: new CampaignStore(_kit.Store));
        for (var i = 0; i < 5; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); }
        _campaigns.Create(Notice(maxConcurrent: 2, cps: 10), Enumerable.Range(0, 4).Select(Phone));
        await dialer.PumpAsync();
        Assert.Equal(0, originator.Total); // a draft is not called
        _campaigns.Start("flood");
        await dialer.PumpAsync();
        Assert.Equal(2, originator.Total);
        _campaigns.Pause("flood");
        for (var i = 0; i < 300 && dialer.InFlight > 0; i++) { await dialer.PumpAsync(); _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); await Task.Yield(); }
        Assert.Equal((0, 2), (dialer.InFlight, originator.Total)); // the first two finished; none more while paused
        _campaigns.Resume("flood");
        await dialer.PumpAsync();
        Assert.Equal(4, originator.Total);
    }

    [Fact]
    public async Task A_clean_stop_lets_calls_in_progress_finish_so_the_restart_has_nothing_interrupted()
    {
        var originator = new FakeOriginator(_kit.Time, (_, _) => FarEnd.Answer) { RingTime = TimeSpan.FromSeconds(5) };
        _campaigns.Create(Notice(maxConcurrent: 3, cps: 10), Enumerable.Range(0, 10).Select(Phone));
        _campaigns.Start("flood");
        var dialer = Dialer(originator);
        await dialer.PumpAsync();
        Assert.Equal(3, dialer.InFlight);
        var stopping = dialer.StopAsync(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 100 && !stopping.IsCompleted; i++) { _kit.Time.Advance(TimeSpan.FromMilliseconds(100)); await Task.Yield(); }
        await stopping;
        Assert.Equal(0, dialer.InFlight);
        Assert.Equal(3, originator.Total);
        var restarted = Dialer(originator);
        Assert.Equal(0, restarted.Recover());
        await RunToEnd(restarted, "flood");
        Assert.Equal(10, originator.Total);
        Assert.Equal(10, _campaigns.Totals("flood").Answered);
    }

    [Fact]
    public void Refuses_bad_campaigns_and_numbers_naming_the_field()
    {
        var e = Assert.Throws<IvrValidationException>(() => _campaigns.Create(Notice() with { MaxConcurrent = 0, CallsPerSecond = 0 }, ["13900000000", "call me"]));
        Assert.Contains(e.Problems, p => p.StartsWith("maxConcurrent", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("callsPerSecond", StringComparison.Ordinal));
        Assert.Contains(e.Problems, p => p.StartsWith("numbers[1]", StringComparison.Ordinal));
        var c = _campaigns.Create(Notice(), ["139-0000-0001", "13900000001", " 13900000002 "]);
        Assert.Equal(["13900000001", "13900000002"], _campaigns.Numbers(c.Id).Select(n => n.Number));
        Assert.Equal(1, _campaigns.AddNumbers(c.Id, ["13900000002", "13900000003"]));
        Assert.Throws<IvrValidationException>(() => _campaigns.Resume(c.Id));
    }
}
