using Hotline.Ivr.Campaigns;
using Hotline.Switch;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// A notification campaign to 100 numbers, dialled by the real switch through three trunks, each a SIPp UAS:
/// numbers 1391… reach one that answers, 1392… one that is always busy (486), 1393… one that rings until the
/// switch gives up. The proportions are known (50/30/20), so the campaign's totals and the INVITEs each UAS saw
/// (two attempts for busy and unanswered numbers, one for answered ones) are known exactly, with or without a
/// restart of the switch partway through.
/// </summary>
public sealed class CampaignSippTests : RealPeerTest
{
    private const string Id = "flood-warning";

    private readonly int _answerPort = FreePorts.Udp();
    private readonly int _busyPort = FreePorts.Udp();
    private readonly int _silentPort = FreePorts.Udp();

    /// <summary>Spread so every stretch of the list has all three kinds: per ten, five answer, three are busy, two never answer.</summary>
    private static IReadOnlyList<string> Numbers => Enumerable.Range(0, 100).Select(i => (i % 10) switch
    {
        < 5 => $"1391000{i:D4}",
        < 8 => $"1392000{i:D4}",
        _ => $"1393000{i:D4}",
    }).ToList();

    private SwitchSettings Settings => new()
    {
        Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = FreePorts.UdpAndTcp(), Realm = "hotline" },
        Registrar = new RegistrarOptions { QualifySeconds = 0 },
        Media = new MediaSettings { RtpPortMin = 47000, RtpPortMax = 47998 },
        Trunks =
        [
            new TrunkConfig { Name = "answering", Host = "127.0.0.1", Port = _answerPort },
            new TrunkConfig { Name = "busy", Host = "127.0.0.1", Port = _busyPort },
            new TrunkConfig { Name = "silent", Host = "127.0.0.1", Port = _silentPort },
        ],
        OutboundRoutes =
        [
            new OutboundRouteConfig { Name = "to answering", Prefix = "1391", Trunks = ["answering"] },
            new OutboundRouteConfig { Name = "to busy", Prefix = "1392", Trunks = ["busy"] },
            new OutboundRouteConfig { Name = "to silent", Prefix = "1393", Trunks = ["silent"] },
        ],
    };

    private static void Prepare(IvrServices ivr)
    {
        IvrOnLoopback.WritePrompt(ivr, "t/flood-warning", 0.5);
        ivr.Campaigns.Create(new Campaign
        {
            Id = Id, Name = "Flood warning", Message = "t/flood-warning", PlayTimes = 1, CallerId = "12345",
            MaxConcurrent = 20, CallsPerSecond = 40, RingSeconds = 5, MaxAttempts = 2, RetryDelaySeconds = 1,
        }, Numbers);
    }

    private async Task<(SippPeer Answer, SippPeer Busy, SippPeer Silent)> StartFarEndsAsync() =>
        (await StartSippAsync("answering", "uas-answer.xml", _answerPort),
         await StartSippAsync("busy", "uas-busy.xml", _busyPort),
         await StartSippAsync("silent", "uas-ring.xml", _silentPort));

    [Fact]
    public async Task A_hundred_numbers_give_exact_totals_and_busy_and_unanswered_numbers_are_called_again()
    {
        Peers.RequireSipp();
        var (answer, busy, silent) = await StartFarEndsAsync();
        var sw = await StartSwitchAsync(Settings, Prepare);

        sw.Services.Campaigns.Start(Id);
        await UntilCompleted(sw);

        AssertOutcome(sw, answer, busy, silent);
    }

    [Fact]
    public async Task A_restart_partway_resumes_the_campaign_without_calling_anyone_more_than_it_says()
    {
        Peers.RequireSipp();
        var (answer, busy, silent) = await StartFarEndsAsync();
        var first = await StartSwitchAsync(Settings, Prepare);
        first.Services.Campaigns.Start(Id);
        await Peers.Eventually(() => answer.Invites().Count + busy.Invites().Count + silent.Invites().Count >= 40, "40 calls placed", TimeSpan.FromSeconds(60));

        // A clean stop: the dialer places no more calls and lets those in progress finish and be recorded.
        await first.DisposeAsync();
        CampaignTotals before;
        using (var store = new HotlineStore(new StorageOptions { DataDirectory = DataDirectory })) before = new CampaignStore(store).Totals(Id);
        var invitesBefore = answer.Invites().Count + busy.Invites().Count + silent.Invites().Count;
        // Partway, and nothing left in progress (had a call been cut off, it would count as Interrupted and fail the totals).
        Assert.True(before.Finished is > 0 and < 100 && before.InProgress == 0, Explain($"on disk at the restart: {before}"));

        var second = await StartSwitchAsync(Settings);
        await UntilCompleted(second);

        Assert.True(answer.Invites().Count + busy.Invites().Count + silent.Invites().Count > invitesBefore, Explain("no calls after the restart"));
        AssertOutcome(second, answer, busy, silent);
    }

    private async Task UntilCompleted(IvrOnLoopback sw) =>
        await Peers.Eventually(() => sw.Services.Campaigns.Get(Id)!.State == CampaignState.Completed,
            $"campaign {Id} to complete (now {sw.Services.Campaigns.Totals(Id)}); artefacts: {Dir}", TimeSpan.FromSeconds(120));

    private void AssertOutcome(IvrOnLoopback sw, SippPeer answer, SippPeer busy, SippPeer silent)
    {
        var t = sw.Services.Campaigns.Totals(Id);
        Assert.True((t.Numbers, t.Answered, t.Busy, t.NoAnswer, t.Failed, t.Rejected, t.Interrupted, t.Pending, t.InProgress) == (100, 50, 30, 20, 0, 0, 0, 0, 0),
            Explain($"totals: {t}"));
        Assert.Equal(50 + 30 * 2 + 20 * 2, t.Calls);

        // What each far end saw: INVITEs (retransmissions folded) per number called.
        var answered = answer.Invites().GroupBy(i => i.RequestUser).ToDictionary(g => g.Key, g => g.Count());
        var engaged = busy.Invites().GroupBy(i => i.RequestUser).ToDictionary(g => g.Key, g => g.Count());
        var unanswered = silent.Invites().GroupBy(i => i.RequestUser).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(50, answered.Count);
        Assert.All(answered.Values, n => Assert.Equal(1, n));
        Assert.Equal(30, engaged.Count);
        Assert.All(engaged.Values, n => Assert.Equal(2, n));
        Assert.Equal(20, unanswered.Count);
        Assert.All(unanswered.Values, n => Assert.Equal(2, n));

        // And the store agrees, number by number: attempts recorded = INVITEs received, with the outcome of its far end.
        foreach (var n in sw.Services.Campaigns.Numbers(Id))
        {
            var (seen, outcome) = n.Number[..4] switch
            {
                "1391" => (answered.GetValueOrDefault(n.Number), CallOutcome.Answered),
                "1392" => (engaged.GetValueOrDefault(n.Number), CallOutcome.Busy),
                _ => (unanswered.GetValueOrDefault(n.Number), CallOutcome.NoAnswer),
            };
            Assert.True(n.Attempts == seen && n.Log.Count == seen && n.Outcome == outcome,
                Explain($"{n.Number}: {n.Attempts} attempts ({n.Log.Count} logged), outcome {n.Outcome}; the far end saw {seen} INVITEs, expected {outcome}"));
        }
        // Caller ID: the campaign's number, as the trunk presents it.
        Assert.All(answer.Invites(), i => Assert.Contains("12345", i.Header("From")));
    }
}
