using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Hotlines;
using Hotline.Switch;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Trunks;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// SIPp callers over a trunk to hotline 12345 (blacklist checked, then a short greeting flow) and to DID 12399
/// (a flow that starts with a blacklist node). The caller's number comes from the trunk as P-Asserted-Identity
/// (sip: or tel:, national or +86) or, without one, as the From user: a reject entry refuses the call with its
/// status, a notice entry answers, plays the notice and hangs up, and an unlisted caller goes through.
/// </summary>
public sealed class BlacklistSippTests : RealPeerTest
{
    private const string FromOnly = "X-Identity: from-only";
    private const string Unlisted = "13700000009";
    private const double NoticeSeconds = 1.5;

    private const string GreetingJson = """
        {
          "id": "greeting", "start": "welcome",
          "nodes": {
            "welcome": { "type": "play", "prompts": ["t/welcome"], "next": "bye" },
            "bye": { "type": "hangup" }
          }
        }
        """;

    private const string ScreenedJson = """
        {
          "id": "screened", "start": "check",
          "nodes": {
            "check": { "type": "blacklist", "next": "welcome" },
            "welcome": { "type": "play", "prompts": ["t/welcome"], "next": "bye" },
            "bye": { "type": "hangup" }
          }
        }
        """;

    private readonly int _callerPort = FreePorts.Udp();

    private static string Pai(string uri) => $"P-Asserted-Identity: <{uri}>";

    private Task<IvrOnLoopback> StartAsync() => StartSwitchAsync(new SwitchSettings
    {
        Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = FreePorts.UdpAndTcp(), Realm = "hotline" },
        Registrar = new RegistrarOptions { QualifySeconds = 0 },
        Media = new MediaSettings { RtpPortMin = 46000, RtpPortMax = 46998 },
        Trunks = [new TrunkConfig { Name = "carrier", Host = "127.0.0.1", Port = _callerPort, AllowedSources = [$"127.0.0.1:{_callerPort}"] }],
        InboundRoutes =
        [
            new InboundRouteConfig { Did = "12345", Trunk = "carrier", Target = "Ivr", Value = "12345" },
            new InboundRouteConfig { Did = "12399", Trunk = "carrier", Target = "Ivr", Value = "screened" },
        ],
    }, ivr =>
    {
        IvrOnLoopback.WritePrompt(ivr, "t/welcome");
        IvrOnLoopback.WritePrompt(ivr, "t/notice", NoticeSeconds, hz: 620);
        Assert.True(ivr.Flows.Save(GreetingJson).Check.Valid);
        Assert.True(ivr.Flows.Save(ScreenedJson).Check.Valid);
        ivr.Hotlines.Save(new HotlineEntry { Id = "12345", Name = "12345", CheckBlacklist = true, Work = new HotlineDestination(DestinationKind.Flow, "greeting") });
        ivr.Blacklist.Save(new BlacklistEntry { Id = "reject", Kind = BlacklistKind.Exact, Number = "13900000001", Action = BlacklistAction.Reject, Reason = "abusive" });
        ivr.Blacklist.Save(new BlacklistEntry { Id = "notice", Kind = BlacklistKind.Exact, Number = "13900000002", Action = BlacklistAction.Notice, NoticePrompt = "t/notice" });
        ivr.Blacklist.Save(new BlacklistEntry { Id = "busy", Kind = BlacklistKind.Exact, Number = "13900000003", Action = BlacklistAction.Reject, Status = 486 });
    });

    public static TheoryData<string, string, string, int> Refused => new()
    {
        { "13900000001", FromOnly, "reject", 603 },
        { "02000000000", Pai("sip:13900000001@carrier.example"), "reject", 603 },
        { "02000000000", Pai("sip:+8613900000001@carrier.example;user=phone"), "reject", 603 },
        { "02000000000", Pai("tel:+86-139-0000-0001"), "reject", 603 },
        { "13900000003", FromOnly, "busy", 486 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_reject_entry_refuses_the_call_with_its_status_before_answering(string from, string identity, string entry, int status)
    {
        Peers.RequireSipp();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", from, new CallerScript(), identity);

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        Assert.Equal([status], caller.FinalStatuses());
        Assert.Equal(1, sw.Services.Blacklist.Get(entry)!.Hits);
        var record = await LogOf(sw);
        Assert.True(record.Blacklisted);
        Assert.Equal("blacklisted: Reject", record.Outcome);
        Assert.Empty(record.Path);
    }

    public static TheoryData<string, string> Noticed => new()
    {
        { "13900000002", FromOnly },
        { "02000000000", Pai("sip:13900000002@carrier.example") },
    };

    [Theory]
    [MemberData(nameof(Noticed))]
    public async Task A_notice_entry_answers_plays_the_notice_and_hangs_up(string from, string identity)
    {
        Peers.RequireSipp();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", from, new CallerScript(), identity);

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        Assert.Equal([200], caller.FinalStatuses());
        var answered = caller.Received().First(m => m.Status == 200);
        var bye = Assert.Single(caller.Received(), m => m.IsRequest("BYE"));
        // The switch hangs up only once the notice has been played out.
        Assert.True(bye.At - answered.At >= TimeSpan.FromSeconds(NoticeSeconds - 0.3), Explain($"BYE came {(bye.At - answered.At).TotalSeconds:0.00} s after the answer", caller));
        Assert.Equal(1, sw.Services.Blacklist.Get("notice")!.Hits);
        var record = await LogOf(sw);
        Assert.True(record.Blacklisted);
        Assert.Equal("blacklisted: Notice", record.Outcome);
        Assert.Empty(record.Path);
    }

    public static TheoryData<string, string> Through => new()
    {
        { Unlisted, FromOnly },
        // A listed number in From counts for nothing when the trunk asserts another identity.
        { "13900000001", Pai($"sip:{Unlisted}@carrier.example") },
    };

    [Theory]
    [MemberData(nameof(Through))]
    public async Task An_unlisted_caller_goes_through_to_the_hotlines_flow(string from, string identity)
    {
        Peers.RequireSipp();
        var sw = await StartAsync();

        var (caller, exit) = await CallAsync(sw, "caller", _callerPort, "12345", from, new CallerScript(), identity);

        Assert.True(exit == 0, Explain($"caller exit {exit}", caller));
        Assert.Equal([200], caller.FinalStatuses());
        var record = await LogOf(sw);
        Assert.Equal(Unlisted, record.Caller);
        Assert.False(record.Blacklisted);
        Assert.Equal(["greeting/welcome", "greeting/bye"], record.Path);
        Assert.All(sw.Services.Blacklist.List(), e => Assert.Equal(0, e.Hits));
    }

    [Fact]
    public async Task A_flows_blacklist_node_carries_out_the_entrys_action()
    {
        Peers.RequireSipp();
        var sw = await StartAsync();

        var (refused, exit) = await CallAsync(sw, "refused", _callerPort, "12399", "02000000000", new CallerScript(), Pai("sip:13900000001@carrier.example"));
        Assert.True(exit == 0, Explain($"caller exit {exit}", refused));
        Assert.Equal([603], refused.FinalStatuses());
        Assert.Equal(["screened/check"], (await LogOf(sw)).Path);

        var (through, exit2) = await CallAsync(sw, "through", _callerPort, "12399", Unlisted, new CallerScript());
        Assert.True(exit2 == 0, Explain($"caller exit {exit2}", through));
        Assert.Equal([200], through.FinalStatuses());
        Assert.Equal(["screened/check", "screened/welcome", "screened/bye"], sw.Services.CallLog.Recent(caller: Unlisted).Single().Path);
    }

    /// <summary>The one call's record in the IVR call log, written as the IVR lets go of the call.</summary>
    private static async Task<IvrCallRecord> LogOf(IvrOnLoopback sw)
    {
        await Peers.Eventually(() => sw.Services.CallLog.Recent().Count > 0, "the IVR call log to record the call", TimeSpan.FromSeconds(10));
        return sw.Services.CallLog.Recent()[0];
    }
}
