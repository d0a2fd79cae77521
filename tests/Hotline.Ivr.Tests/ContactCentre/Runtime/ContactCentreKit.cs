using Hotline.Switch.Calls;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Ivr.Tests.ContactCentre.Runtime;

/// <summary>The contact centre on fake time over a simulated switch, with queue 8000 and agents 5001–5004.</summary>
internal sealed class ContactCentreKit : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 7, 1, 9, 0, 0, TimeSpan.FromHours(8)));
    public FakeSwitch Switch { get; }
    public InMemoryContactCentreRepository Repository { get; }
    public ContactCentreOptions Options { get; }
    public ContactCentreHost Host { get; }
    public List<AcdOutput> Outputs { get; } = [];
    public Dictionary<RouteTargetKind, RecordingDestination> Destinations { get; } = [];
    private readonly List<Task> _calls = [];
    private readonly List<FakeCallChannel> _channels = [];

    public ContactCentreKit(Action<ContactCentreOptions>? configure = null, IConferenceMedia? media = null, ILiveCalls? live = null,
        Hotline.Switch.Cdrs.ICdrStore? cdrs = null, string recordings = "/tmp/hl-acd-recordings", InMemoryContactCentreRepository? repository = null,
        IRouteRepository? routes = null)
    {
        Repository = repository ?? new InMemoryContactCentreRepository();
        Switch = new FakeSwitch(Time);
        Options = new ContactCentreOptions
        {
            Queues =
            [
                new QueueDefinition
                {
                    Number = "8000", Name = "Citizen hotline", Strategy = QueueStrategy.LongestIdle, WrapUpSeconds = 0,
                    Members = [.. new[] { "5001", "5002", "5003", "5004" }.Select(a => new QueueMemberDefinition { Agent = a })],
                    AnnounceFirstSeconds = 0, AnnounceEverySeconds = 0, Callback = true,
                },
            ],
            Agents = [.. new[] { "5001", "5002", "5003", "5004", "5009" }.Select(a => new AgentConfig { Number = a, Name = $"Agent {a}", Pin = "1" + a[1..], Supervisor = a == "5009" })],
            Rooms = [new ConferenceRoomDefinition { Number = "8100", Name = "Demo room" }],
        };
        configure?.Invoke(Options);
        Host = new ContactCentreHost(Options, Repository, new ContactCentreHooks
        {
            Originator = Switch, Time = Time, Loggers = NullLoggerFactory.Instance, RecordingsRoot = recordings,
            Destinations = kind => Destinations.GetValueOrDefault(kind), Media = media, LiveCalls = live, Cdrs = cdrs, Routes = routes,
        });
        Host.Engine.AddObserver(new Recorder(Outputs));
        Host.Start();
    }

    private sealed class Recorder(List<AcdOutput> outputs) : IAcdObserver
    {
        public void OnOutputs(IReadOnlyList<AcdOutput> o)
        {
            lock (outputs) outputs.AddRange(o);
        }
    }

    public List<T> Seen<T>() where T : AcdOutput
    {
        lock (Outputs) return Outputs.OfType<T>().ToList();
    }

    /// <summary>Logs agents in through the API on phones 100&lt;n&gt; (agent 5003 on 1003 …).</summary>
    public async Task LoginAsync(params string[] agents)
    {
        foreach (var a in agents)
        {
            Assert.Equal(LoginResult.LoggedIn, await Host.Agents.LoginAsync(a, "100" + a[^1]));
            Time.Advance(TimeSpan.FromSeconds(1)); // a distinct idle time each, so longest-idle has an order
        }
    }

    /// <summary>A citizen calls the queue; the destination runs in the background.</summary>
    public FakeCallChannel Call(string caller, string queue = "8000", IDictionary<string, string>? variables = null)
    {
        var call = Switch.NewCall(caller, queue);
        foreach (var (k, v) in variables ?? new Dictionary<string, string>()) call.Variables[k] = v;
        lock (_calls)
        {
            _channels.Add(call);
            _calls.Add(Task.Run(() => Host.Queues.RunAsync(call, new RouteTarget(RouteTargetKind.Queue, queue))));
        }
        return call;
    }

    public Task<AgentSnapshot?> Agent(string id) => Host.Engine.QueryAsync(core => core.AgentSnapshot(id));
    public Task<QueueSnapshot?> Queue(string name = "8000") => Host.Engine.QueryAsync(core => core.QueueSnapshot(name, Time.GetUtcNow()));

    /// <summary>Waits (real time, bounded) until <paramref name="condition"/> holds, letting background work run.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            await Task.Delay(2);
        }
    }

    public static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    public Task AgentIs(string agent, AgentState state) =>
        Eventually(async () => (await Agent(agent))?.State == state, $"agent {agent} to be {state}");

    /// <summary>Advances fake time in steps, letting the engine and calls react between them.</summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan? step = null)
    {
        var s = step ?? TimeSpan.FromSeconds(1);
        for (var t = TimeSpan.Zero; t < by; t += s)
        {
            await Host.FlushAsync();
            Time.Advance(s);
            await Host.FlushAsync();
            await Task.Delay(1);
            await Host.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task[] calls;
        lock (_calls)
        {
            foreach (var c in _channels) c.HangUpFarEnd();
            calls = [.. _calls];
        }
        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await Host.DisposeAsync();
    }
}

/// <summary>A destination (voicemail, IVR) that just records who came.</summary>
internal sealed class RecordingDestination : Hotline.Switch.Calls.ICallDestination
{
    public List<(string CallId, RouteTarget Target)> Calls { get; } = [];

    public Task RunAsync(Hotline.Switch.Calls.ICallChannel call, RouteTarget target)
    {
        lock (Calls) Calls.Add((call.CallId, target));
        return call.HangupAsync();
    }
}
