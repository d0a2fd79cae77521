using System.Net;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Core;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Tests.Transactions;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Routes numbers as a test says.</summary>
internal sealed class TestRouter : ICallRouter
{
    public Dictionary<string, RouteDecision> Routes { get; } = [];
    public List<RoutingRequest> Requests { get; } = [];

    public RouteDecision Route(RoutingRequest request)
    {
        lock (Requests) Requests.Add(request);
        if (Routes.TryGetValue(request.Dialled, out var d)) return d;
        if (request.Dialled.StartsWith("10")) return new RouteDecision(new RouteTarget(RouteTargetKind.Extension, request.Dialled), [], true);
        return new RouteDecision(new RouteTarget(RouteTargetKind.Reject, request.Dialled), [], false, 404, "Not Found");
    }
}

internal sealed class TestTrunks : ITrunks
{
    public Dictionary<string, IPEndPoint> Trunks { get; } = [];
    public int Leased;
    public string? MatchInbound(SipMessage request) =>
        Trunks.FirstOrDefault(t => t.Value.Address.Equals(request.Source!.EndPoint.Address) && t.Value.Port == request.Source.EndPoint.Port).Key;

    public ITrunkLease? TryAcquire(string trunk, out string? refusal)
    {
        refusal = null;
        if (!Trunks.TryGetValue(trunk, out var ep)) { refusal = "unknown"; return null; }
        Interlocked.Increment(ref Leased);
        return new Lease(this, trunk, new SipEndPoint(SipTransportKind.Udp, ep));
    }

    private sealed class Lease(TestTrunks owner, string trunk, SipEndPoint destination) : ITrunkLease
    {
        private int _disposed;
        public string Trunk => trunk;
        public SipEndPoint Destination => destination;
        public string RequestUri(string number) => $"sip:{number}@{destination.EndPoint}";
        public string From(string callerId, string? displayName) => $"<sip:{callerId}@hotline>";
        public DigestClient? Credentials => new("trunkuser", "trunkpass");
        public bool Record => true;
        public void Dispose() { if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner.Leased); }
    }
}

/// <summary>The B2BUA on fake time with fake media, phones simulated by hand-written SIP.</summary>
internal sealed class CallTestKit : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 7, 1, 9, 0, 0, TimeSpan.FromHours(8)));
    public RecordingSender Sender { get; } = new();
    public TransactionLayer Layer { get; }
    public SwitchCore Core { get; }
    public BindingTable Bindings { get; }
    public FakeCallMedia Media { get; } = new();
    public TestRouter Router { get; } = new();
    public TestTrunks Trunks { get; } = new();
    public CallManager Calls { get; }
    public LiteDbCdrStore Cdrs { get; }
    public CallOptions Options { get; } = new();
    public TestLoggers Logs { get; } = new();
    private readonly HotlineStore _store = new(new MemoryStream(), "/tmp/hl-calls");
    private readonly LiteDbExtensionRepository _extensions;

    public static readonly IPEndPoint Switch = new(IPAddress.Loopback, 5060);

    public CallTestKit()
    {
        _extensions = new LiteDbExtensionRepository(_store);
        ExtensionSeed.Apply(_extensions, Enumerable.Range(1001, 6).Select(n => new ExtensionConfig { Number = $"{n}", Name = $"Ext {n}", Password = $"pass{n}" }), "hotline");
        Layer = new TransactionLayer(Sender, Time);
        var auth = new DigestAuthenticator("hotline", _extensions, new NonceService(Time, TimeSpan.FromMinutes(5)), [DigestAlgorithm.Md5]);
        Core = new SwitchCore(new SipOptions(), auth, new AuthFailureGuard(new SecurityOptions(), Time), NullLogger.Instance);
        Core.IsTrustedSource = m => Trunks.MatchInbound(m) is not null;
        Bindings = new BindingTable(new LiteDbBindingRepository(_store), Time, NullLogger.Instance);
        Cdrs = new LiteDbCdrStore(_store);
        Calls = new CallManager(new CallContext
        {
            Transactions = Layer, Core = Core, Local = LocalContact.From(Switch), Media = Media, Bindings = Bindings, Router = Router,
            Trunks = Trunks, Cdrs = Cdrs, Options = Options, Time = Time, Loggers = Logs,
            RecordingsRoot = "/tmp/hl-calls/recordings", Domain = "hotline",
        });
        Core.Register(SipMethod.Invite, Calls);
        Core.Dialogs = Calls;
        foreach (var tag in new[] { "100rel", "timer", "replaces" }) Core.SupportedOptionTags.Add(tag);
        Layer.User = Core;
        var logs = Logs;
        Errors = () => logs.Errors.Count == 0 ? "" : "; errors logged: " + string.Join(" | ", logs.Errors);
    }

    public Phone Phone(string number, int port) => new(this, number, new IPEndPoint(IPAddress.Parse("192.168.1." + (port % 200)), port));

    /// <summary>1001 calls 1002 and 1002 answers; returns the INVITE 1002 got and the 200 1001 got.</summary>
    public static async Task<(SipMessage CalleeInvite, SipMessage CallerOk)> Connect(CallTestKit kit, Phone caller, Phone callee)
    {
        await caller.Call(callee.Number);
        await caller.ExpectResponse(100);
        var invite = await callee.ExpectRequest(SipMethod.Invite);
        callee.Respond(invite, 180);
        await caller.ExpectResponse(180);
        callee.Respond(invite, 200, FakeLeg.Sdp("callee", 17000));
        await callee.ExpectRequest(SipMethod.Ack);
        var ok = await caller.ExpectResponse(200);
        caller.Ack(ok);
        return (invite, ok);
    }

    /// <summary>Registers a phone's contact directly in the binding table.</summary>
    public void Bind(Phone phone)
    {
        Bindings.Apply(phone.Number, new RegisterUpdate($"reg-{phone.Number}-{phone.Address.Port}", 1, false,
            [new ContactUpdate($"sip:{phone.Number}@{phone.Address}", "", 3600)], SipTransportKind.Udp,
            phone.Address.Address.ToString(), phone.Address.Port, 0, "test"), out _);
    }

    public void Receive(SipMessage message, IPEndPoint from)
    {
        message.Source = new SipEndPoint(SipTransportKind.Udp, from);
        Layer.Receive(message);
    }

    public List<SipMessage> SentTo(IPEndPoint to)
    {
        lock (Sender.Sent) return Sender.Sent.Where(s => s.To.EndPoint.Equals(to)).Select(s => s.Message).ToList();
    }

    private static Func<string> Errors = () => "";

    /// <summary>Waits (real time, bounded) for call work posted to the thread pool.</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for: {what}{Errors()}");
            await Task.Delay(5);
        }
    }

    /// <summary>Advances fake time in steps, letting posted work run between them.</summary>
    public async Task Advance(double seconds)
    {
        var end = Time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
        while (Time.GetUtcNow() < end)
        {
            var step = end - Time.GetUtcNow();
            Time.Advance(step < TimeSpan.FromMilliseconds(250) ? step : TimeSpan.FromMilliseconds(250));
            await Task.Delay(2);
        }
        await Task.Delay(20);
    }

    public async ValueTask DisposeAsync()
    {
        await Bindings.DisposeAsync();
        _store.Dispose();
    }
}
