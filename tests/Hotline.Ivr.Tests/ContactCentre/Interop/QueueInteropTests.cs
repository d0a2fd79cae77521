using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Ivr.Tests.ContactCentre.Interop;

/// <summary>
/// The real switch on loopback with the contact centre plugged in: SIPp callers come in over a trunk to
/// DID 8000 (routed to queue 8000), agents' phones are SIPp user agents bound to the agents' extensions.
/// </summary>
public sealed class QueueInteropTests : IAsyncDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hotline-acd-interop", Guid.NewGuid().ToString("N"));
    private readonly List<IAsyncDisposable> _cleanup = [];

    private sealed class Outputs : IAcdObserver
    {
        private readonly List<AcdOutput> _all = [];
        public void OnOutputs(IReadOnlyList<AcdOutput> outputs)
        {
            lock (_all) _all.AddRange(outputs);
        }
        public List<T> Of<T>() where T : AcdOutput
        {
            lock (_all) return _all.OfType<T>().ToList();
        }
    }

    private async Task<(HotlineSwitch Switch, ContactCentreModule Centre, Outputs Seen)> StartAsync(int sipPort, int callersPort, int rtpBase,
        IReadOnlyDictionary<string, int> phones, QueueDefinition queue)
    {
        Directory.CreateDirectory(_dir);
        var settings = new SwitchSettings
        {
            Sip = new SipOptions { ListenAddress = "127.0.0.1", Port = sipPort, Realm = "hotline" },
            Registrar = new RegistrarOptions { QualifySeconds = 0 },
            Media = new MediaSettings { RtpPortMin = rtpBase, RtpPortMax = rtpBase + 998 },
            Extensions = [.. phones.Keys.Select(p => new ExtensionConfig { Number = p, Name = $"Agent phone {p}", Password = $"secret{p}" })],
            Trunks = [new TrunkConfig { Name = "citizens", Host = "127.0.0.1", Port = callersPort, AllowedSources = [$"127.0.0.1:{callersPort}"] }],
            InboundRoutes = [new InboundRouteConfig { Did = queue.Number, Trunk = "citizens", Target = "Queue", Value = queue.Number }],
        };
        // Several switches share this test process's thread pool (and its blocking test code): one switch's
        // queue delay would be the others' load, so overload control stays off here (OverloadControlTests cover it).
        settings.Calls.OverloadQueueDelayMs = 0;
        var store = new HotlineStore(new StorageOptions { DataDirectory = Path.Combine(_dir, "data") });
        var sw = new HotlineSwitch(settings, store, TimeProvider.System, NullLoggerFactory.Instance);
        var options = new ContactCentreOptions
        {
            Queues = [queue],
            Agents = [.. phones.Keys.Select(p => new AgentConfig { Number = "5" + p[1..], Name = $"Agent {p}", Pin = "2468" })],
        };
        var centre = new ContactCentreModule(sw, null, options, TimeProvider.System, NullLoggerFactory.Instance);
        _cleanup.Add(centre);
        _cleanup.Add(sw);
        _cleanup.Add(new Disposer(store.Dispose));
        var seen = new Outputs();
        centre.Host.Engine.AddObserver(seen);
        sw.Start();
        await centre.StartAsync(TestContext.Current.CancellationToken);
        foreach (var (phone, port) in phones)
        {
            // The phones' registrations, as a REGISTER would leave them (the registrar has its own tests).
            sw.Stack.Bindings.Apply(phone, new RegisterUpdate($"reg-{phone}", 1, false, [new ContactUpdate($"sip:{phone}@127.0.0.1:{port}", "", 3600)],
                SipTransportKind.Udp, "127.0.0.1", port, 0, "sipp"), out _);
            Assert.Equal(LoginResult.LoggedIn, await centre.Host.Agents.LoginAsync("5" + phone[1..], "2468", phone));
            await Task.Delay(20, TestContext.Current.CancellationToken); // distinct idle times: longest-idle has an order
        }
        return (sw, centre, seen);
    }

    private sealed class Disposer(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Twenty_SIPp_callers_are_answered_by_five_agents_in_arrival_order_evenly_with_statistics_matching_the_calls()
    {
        Sipp.Require();
        int sipPort = FreePorts.UdpAndTcp(), callersPort = FreePorts.Udp(), phonesPort = FreePorts.Udp();
        var phones = new[] { "1003", "1004", "1005", "1006", "1007" }.ToDictionary(p => p, _ => phonesPort);
        var (sw, centre, seen) = await StartAsync(sipPort, callersPort, 43000, phones, new QueueDefinition
        {
            Number = "8000", Strategy = QueueStrategy.LongestIdle, RingTimeoutSeconds = 10, WrapUpSeconds = 0, AnnounceFirstSeconds = 0, AnnounceEverySeconds = 0,
            Members = [.. phones.Keys.Select(p => new QueueMemberDefinition { Agent = "5" + p[1..] })],
        });
        await using var agents = await Sipp.StartAsync(Scenarios.AnsweringPhone(talkMs: 2000), phonesPort);
        await using var callers = await Sipp.StartAsync(Scenarios.Caller("8000"), callersPort, $"127.0.0.1:{sipPort}", "-m", "20", "-r", "5", "-l", "20");
        var exit = await callers.ExitAsync(TimeSpan.FromSeconds(90));
        Assert.True(exit == 0, $"SIPp callers: exit {exit}\n{await callers.OutputAsync()}");
        await Eventually(async () => (await centre.Host.Engine.QueryAsync(c => c.QueueSnapshot("8000", DateTimeOffset.UtcNow)))!.Statistics.Completed == 20, "20 completed calls");

        var joined = seen.Of<CallQueued>().Select(q => q.CallId).ToList();
        var firstOffers = seen.Of<OfferCall>().Select(o => o.CallId).Distinct().ToList();
        Assert.Equal(20, joined.Count);
        Assert.Equal(joined, firstOffers); // nobody overtaken: callers reach an agent in the order they arrived
        var answered = seen.Of<CallLeftQueue>().Where(l => l.Reason == LeaveReason.Answered).ToList();
        Assert.Equal(20, answered.Count);
        // Longest idle with equal talk times hands the calls round: four each.
        Assert.All(answered.GroupBy(l => l.Agent), g => Assert.Equal(4, g.Count()));
        Assert.Equal(5, answered.Select(l => l.Agent).Distinct().Count());

        var stats = (await centre.Host.Engine.QueryAsync(c => c.QueueSnapshot("8000", DateTimeOffset.UtcNow)))!.Statistics;
        Assert.Equal((20L, 20L, 0L, 0L, 20L), (stats.Offered, stats.Answered, stats.Abandoned, stats.Overflowed, stats.Completed));
        Assert.Equal(20, stats.AnsweredInServiceLevel);
        var cdrs = sw.Cdrs.Search(new CdrQuery(Limit: 100));
        Assert.Equal(20, cdrs.Count(c => c.Callee == "8000"));
        var byAgent = (await centre.Host.Engine.SnapshotAsync()).Agents.ToDictionary(a => a.Id, a => a.Statistics.Answered);
        Assert.All(byAgent.Values, n => Assert.Equal(4, n));
    }

    [Fact]
    public async Task An_agent_who_lets_the_phone_ring_out_is_auto_paused_the_call_goes_on_and_wrap_up_keeps_the_next_agent_out()
    {
        Sipp.Require();
        int sipPort = FreePorts.UdpAndTcp(), callersPort = FreePorts.Udp(), ringingPort = FreePorts.Udp(), answeringPort = FreePorts.Udp();
        var phones = new Dictionary<string, int> { ["1006"] = ringingPort, ["1007"] = answeringPort };
        var (_, centre, seen) = await StartAsync(sipPort, callersPort, 44000, phones, new QueueDefinition
        {
            Number = "8001", Strategy = QueueStrategy.LongestIdle, RingTimeoutSeconds = 5, WrapUpSeconds = 3, AnnounceFirstSeconds = 0, AnnounceEverySeconds = 0,
            Members = [new() { Agent = "5006" }, new() { Agent = "5007" }],
        });
        await using var ringing = await Sipp.StartAsync(Scenarios.RingingPhone, ringingPort);
        await using var answering = await Sipp.StartAsync(Scenarios.AnsweringPhone(talkMs: 1000), answeringPort);
        await using var callers = await Sipp.StartAsync(Scenarios.Caller("8001"), callersPort, $"127.0.0.1:{sipPort}", "-m", "2", "-r", "1", "-rp", "4000");
        var exit = await callers.ExitAsync(TimeSpan.FromSeconds(60));
        Assert.True(exit == 0, $"SIPp callers: exit {exit}\n{await callers.OutputAsync()}");

        var offers = seen.Of<OfferCall>();
        var first = offers[0];
        Assert.Equal("5006", first.Agents.Single().Agent);                  // longest idle: rung first, never answers
        Assert.Equal("5007", offers[1].Agents.Single().Agent);              // the same caller goes on to the next agent
        Assert.Equal(first.CallId, offers[1].CallId);
        Assert.InRange(offers[1].At - first.At, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(10));
        var paused = seen.Of<AgentStateChanged>().First(s => s.Agent == "5006" && s.State == AgentState.Paused);
        Assert.Equal(AcdCore.NoAnswerPause, paused.Reason);
        Assert.Equal(AgentState.Paused, (await centre.Host.Agents.StateAsync("5006"))!.State);

        // The second caller arrives while 5007 talks or wraps up: it is offered only after the wrap-up.
        var ended = seen.Of<CallEnded>().First(e => e.CallId == first.CallId);
        var second = offers.First(o => o.CallId != first.CallId);
        Assert.Equal("5007", second.Agents.Single().Agent);
        Assert.True(second.At - ended.At >= TimeSpan.FromSeconds(3), $"offered {second.At - ended.At} after the previous call ended");
        Assert.Contains(seen.Of<AgentStateChanged>(), s => s.Agent == "5007" && s.State == AgentState.WrapUp);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _cleanup) await d.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A recording still being closed: the temp folder is cleaned another time.
        }
    }
}
