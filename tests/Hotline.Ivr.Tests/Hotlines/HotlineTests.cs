using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Engine;
using Hotline.Ivr.Tests.Support;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.Hotlines;

/// <summary>The sample bundles seeded into a store, and calls entering hotlines through the IVR destination.</summary>
public sealed class HotlineTests : IDisposable
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private readonly IvrTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private IvrServices Services(FakeTimeProvider time, string bundle)
    {
        var services = new IvrServices(_kit.Store, new IvrOptions { GeneratePrompts = false, SeedFiles = [bundle] }, originator: null, time, NullLoggerFactory.Instance);
        services.StartAsync(AppContext.BaseDirectory, TestContext.Current.CancellationToken).Wait(TestContext.Current.CancellationToken);
        // Every prompt gets a short recording, as the generator would make at first start.
        foreach (var name in services.Prompts.Metadata().Select(m => m.Name).Concat(Hotline.Ivr.Calls.SystemPrompts.EnglishTexts.Keys))
            TestWav.WriteTone(services.Prompts.PathOf(name), 0.2);
        return services;
    }

    private static FakeCall Call(FakeTimeProvider time, string caller = "13800138000") => new(time, caller, "12345");

    [Fact]
    public async Task The_demo_answers_12345_with_the_menu_around_the_clock_and_1_rings_1001()
    {
        foreach (var at in new[] { new DateTimeOffset(2030, 5, 6, 3, 0, 0, Beijing), new DateTimeOffset(2030, 5, 11, 12, 30, 0, Beijing), new DateTimeOffset(2030, 10, 1, 23, 59, 0, Beijing) })
        {
            var time = new FakeTimeProvider(at);
            var ivr = Services(time, "samples/demo/ivr.json");
            var call = Call(time).Press("1");
            await ivr.Ivr.RunAsync(call, new RouteTarget(RouteTargetKind.Ivr, "12345"));
            Assert.Equal(["demo/welcome", "demo/menu"], call.AllPrompts);
            Assert.Equal(new RouteTarget(RouteTargetKind.Extension, "1001"), Assert.Single(call.Connects).Target);
            await ivr.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_demo_key_9_leaves_a_message_in_the_hotline_box_and_the_call_is_logged()
    {
        var time = new FakeTimeProvider(IvrTestKit.MondayMorning);
        var ivr = Services(time, "samples/demo/ivr.json");
        var call = Call(time, "13912345678").Press("9");
        await ivr.Ivr.RunAsync(call, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal("13912345678", Assert.Single(ivr.Voicemail.List("12345")).Caller);
        var logged = Assert.Single(ivr.CallLog.Recent());
        Assert.Equal(("13912345678", "12345", "work", "12345-demo"), (logged.Caller, logged.Hotline, logged.Period, logged.Flow));
        Assert.Equal("12345-demo/voicemail", logged.Path[^1]);
    }

    [Theory]
    [InlineData(2026, 11, 30, 10, 0, "work", "12345/welcome")]       // Monday morning: the main flow
    [InlineData(2026, 11, 30, 12, 15, "lunch", "12345/lunch")]       // lunch break
    [InlineData(2026, 10, 5, 10, 0, "holiday", "12345/holiday")]     // National Day
    [InlineData(2026, 10, 10, 10, 0, "work", "12345/welcome")]       // make-up Saturday
    public async Task The_12345_sample_routes_each_period_to_its_flow(int y, int m, int d, int h, int mi, string period, string firstPrompt)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(y, m, d, h, mi, 0, Beijing));
        var ivr = Services(time, "samples/hotline-12345/ivr.json");
        var call = Call(time).HangUp();
        await ivr.Ivr.RunAsync(call, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal(period, call.Variables[FlowVariables.Period]);
        Assert.Equal(firstPrompt, call.AllPrompts.First());
    }

    [Fact]
    public async Task After_hours_the_duty_mobiles_are_rung_with_an_accept_key_then_the_mailbox_takes_the_call()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 22, 0, 0, Beijing));
        var ivr = Services(time, "samples/hotline-12345/ivr.json");
        var call = Call(time);
        call.OnConnect = (_, _) => new ConnectResult(ConnectOutcome.NoAnswer, 480, null);
        await ivr.Ivr.RunAsync(call, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal(["13800000001", "13800000002"], call.Connects.Select(c => c.Target.Value));
        Assert.All(call.Connects, c => Assert.Equal((RouteTargetKind.External, '1', true), (c.Target.Kind, c.Options.AcceptDigit!.Value, c.Options.Record)));
        Assert.Single(ivr.Voicemail.List("12345"));
        Assert.Equal("12345/night-greeting", call.AllPrompts.First());
    }

    [Fact]
    public async Task A_blacklisted_caller_is_refused_before_the_schedule_and_an_unlisted_one_is_not()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, Beijing));
        var ivr = Services(time, "samples/hotline-12345/ivr.json");
        var listed = Call(time, "+86 139 1234 5678");
        await ivr.Ivr.RunAsync(listed, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal(603, listed.HangupStatus);
        Assert.False(listed.Answered);
        Assert.Equal(1, ivr.Blacklist.Get("harasser-1")!.Hits);
        var other = Call(time, "13912345679").HangUp();
        await ivr.Ivr.RunAsync(other, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal("12345/welcome", other.AllPrompts.First());
        Assert.True(ivr.CallLog.Recent().Single(r => r.Caller == "+86 139 1234 5678").Blacklisted);
    }

    [Fact]
    public async Task Night_service_sends_everything_to_the_mailbox()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 10, 0, 0, Beijing));
        var ivr = Services(time, "samples/hotline-12345/ivr.json");
        ivr.Schedules.SetNightService("12345-main", true);
        var call = Call(time);
        await ivr.Ivr.RunAsync(call, new RouteTarget(RouteTargetKind.Ivr, "12345"));
        Assert.Equal("nightService", call.Variables[FlowVariables.Period]);
        Assert.Single(ivr.Voicemail.List("12345"));
        // Seeding again (a restart) keeps the switch where the supervisor put it.
        IvrSeed.Apply(Path.Combine(AppContext.BaseDirectory, "samples/hotline-12345/ivr.json"), ivr);
        Assert.True(ivr.Schedules.Get("12345-main")!.NightService);
    }

    [Fact]
    public void Seeding_leaves_records_changed_through_the_API_alone()
    {
        var time = new FakeTimeProvider(IvrTestKit.MondayMorning);
        var ivr = Services(time, "samples/demo/ivr.json");
        var hotline = ivr.Hotlines.Get("12345")!;
        ivr.Hotlines.Save(hotline with { Name = "edited", Source = "admin" });
        var counts = IvrSeed.Apply(Path.Combine(AppContext.BaseDirectory, "samples/demo/ivr.json"), ivr);
        Assert.Equal(0, counts.Hotlines);
        Assert.Equal(0, counts.Flows);
        Assert.Equal("edited", ivr.Hotlines.Get("12345")!.Name);
        Assert.True(ivr.Voicemail.GetMailbox("12345")!.VerifyPin("12345"));
        Assert.Equal("1", ivr.Prompts.Metadata().Single(p => p.Name == "demo/welcome").Code);
    }

    [Fact]
    public void The_anonymous_blacklist_entry_of_the_sample_sends_withheld_numbers_to_voicemail()
    {
        var time = new FakeTimeProvider(IvrTestKit.MondayMorning);
        var ivr = Services(time, "samples/hotline-12345/ivr.json");
        Assert.Equal(BlacklistAction.Voicemail, ivr.Blacklist.Find("anonymous", "12345")!.Action);
    }
}
