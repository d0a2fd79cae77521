using System.Net;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Tests.Transactions;
using Hotline.Switch.Transactions;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Switch.Tests.Trunks;

/// <summary>A trunk manager on fake time, an in-memory store and a sender that records instead of sending.</summary>
internal sealed class TrunkTestKit : IAsyncDisposable
{
    public static readonly IPAddress Carrier = IPAddress.Parse("203.0.113.10");
    public static readonly LocalContact Local = new("192.0.2.1", 5060);

    private readonly MemoryStream _db = new();

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 7, 19, 22, 41, 7, TimeSpan.FromHours(8)));
    public RecordingSender Sender { get; } = new();
    public TransactionLayer Layer { get; }
    public HotlineStore Store { get; }
    public LiteDbTrunkRepository Trunks { get; }
    public TrunkManager Manager { get; }
    public DateTimeOffset Start { get; }

    /// <param name="random">What the jitter draws: 0 retries at the full back-off, 1 at the earliest.</param>
    public TrunkTestKit(double random = 0, TrunkTimings? timings = null)
    {
        Start = Time.GetUtcNow();
        Layer = new TransactionLayer(Sender, Time);
        Store = new HotlineStore(_db, "/tmp/hotline-test");
        Trunks = new LiteDbTrunkRepository(Store);
        Manager = new TrunkManager(Trunks, Layer, Local, NullLogger.Instance, timings, random: () => random);
    }

    public static Trunk Carrier1(Func<Trunk, Trunk>? change = null)
    {
        var t = new Trunk
        {
            Name = "carrier", Host = Carrier.ToString(), Port = 5060, Username = "02188886666", Password = "trunk-secret",
            Register = true, RegisterExpires = 3600,
        };
        return change is null ? t : change(t);
    }

    public TimeSpan Elapsed => Time.GetUtcNow() - Start;

    /// <summary>Advances in 100 ms steps so timers re-armed inside callbacks fire at their own times.</summary>
    public void Advance(TimeSpan span)
    {
        var end = Time.GetUtcNow() + span;
        while (Time.GetUtcNow() < end)
        {
            var step = end - Time.GetUtcNow();
            Time.Advance(step < TimeSpan.FromMilliseconds(100) ? step : TimeSpan.FromMilliseconds(100));
        }
    }

    public void Advance(double seconds) => Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>Requests of a method sent so far, one per transaction (UDP retransmissions left out), with when they went.</summary>
    public List<SipMessage> Requests(SipMethod method)
    {
        lock (Sender.Sent)
        {
            return Sender.Sent.Select(s => s.Message).Where(m => m.IsRequest && m.Method == method)
                .DistinctBy(m => m.Text(m.TopVia.Branch)).ToList();
        }
    }

    public SipMessage Last(SipMethod method) => Requests(method)[^1];

    /// <summary>Answers a request as the carrier would, with extra header lines.</summary>
    public void Respond(SipMessage request, int status, params string[] headers)
    {
        var w = SipResponses.Start(request, status, toTag: status > 100 ? "carrier-tag" : null);
        foreach (var h in headers)
        {
            var colon = h.IndexOf(':');
            w.Header(h[..colon], h[(colon + 1)..].Trim());
        }
        var response = w.NoBody().ToMessage();
        response.Source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(Carrier, 5060));
        Layer.Receive(response);
    }

    /// <summary>A request arriving from <paramref name="from"/>.</summary>
    public static SipMessage Invite(IPAddress from, string user = "01066668888", int port = 5060)
    {
        var w = SipMessageWriter.Request(SipMethod.Invite, $"sip:{user}@192.0.2.1");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP sbc.carrier.example:5060;branch={SipIds.NewBranch()}");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, "<sip:13800138000@sbc.carrier.example>;tag=f1");
        w.Header(HeaderId.To, $"<sip:{user}@192.0.2.1>");
        w.Header(HeaderId.CallId, SipIds.NewCallId("carrier"));
        w.Header(HeaderId.CSeq, "1 INVITE");
        var m = w.NoBody().ToMessage();
        m.Source = new SipEndPoint(SipTransportKind.Udp, new IPEndPoint(from, port));
        return m;
    }

    public async ValueTask DisposeAsync()
    {
        var stop = Manager.DisposeAsync().AsTask();
        // Unregistrations wait for an answer that nobody gives here: let the give-up timer run.
        for (var i = 0; i < 100 && !stop.IsCompleted; i++) Advance(0.1);
        await stop;
        Store.Dispose();
    }
}
