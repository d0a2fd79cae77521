using System.Net;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Switch.Tests.Transactions;

/// <summary>Records what the layer sends instead of putting it on a network.</summary>
internal sealed class RecordingSender : ISipSender
{
    public List<(SipMessage Message, SipEndPoint To)> Sent { get; } = [];
    public bool Fail { get; set; }

    public bool Send(SipMessage message, SipEndPoint destination)
    {
        if (Fail) return false;
        lock (Sent) Sent.Add((message, destination));
        return true;
    }

    public SipEndPoint ResponseDestination(SipMessage request) => request.Source!;

    public int Count(Func<SipMessage, bool> match)
    {
        lock (Sent) return Sent.Count(s => match(s.Message));
    }
}

internal sealed class RecordingUser : ITransactionUser
{
    public List<ServerTransaction> Requests { get; } = [];
    public List<SipMessage> Acks { get; } = [];
    public List<(ServerInviteTransaction Invite, SipMessage Cancel)> Cancels { get; } = [];
    public List<SipMessage> Stray { get; } = [];

    public void OnRequest(ServerTransaction transaction) => Requests.Add(transaction);
    public void OnAck(SipMessage ack) => Acks.Add(ack);
    public void OnCancel(ServerInviteTransaction invite, SipMessage cancel) => Cancels.Add((invite, cancel));
    public void OnStrayResponse(SipMessage response) => Stray.Add(response);
}

internal sealed class TransactionTestKit
{
    public static readonly SipEndPoint Peer = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5062));
    public static readonly SipEndPoint TcpPeer = new(SipTransportKind.Tcp, new IPEndPoint(IPAddress.Loopback, 5062)) { ConnectionId = 7 };

    // A random start date catches code that reads the wall clock instead of the provider.
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2031, 3, 14, 9, 26, 53, TimeSpan.FromHours(8)));
    public RecordingSender Sender { get; } = new();
    public RecordingUser User { get; } = new();
    public TransactionLayer Layer { get; }

    public TransactionTestKit()
    {
        Layer = new TransactionLayer(Sender, Time) { User = User };
    }

    public void Advance(double seconds)
    {
        // Step in small increments so timers that re-arm inside callbacks fire at their own times.
        var end = Time.GetUtcNow() + TimeSpan.FromSeconds(seconds);
        while (Time.GetUtcNow() < end)
        {
            var step = end - Time.GetUtcNow();
            Time.Advance(step < TimeSpan.FromMilliseconds(50) ? step : TimeSpan.FromMilliseconds(50));
        }
    }

    public static SipMessage Request(SipMethod method, string branch = "z9hG4bKtest1", string? toTag = null, uint cseq = 1,
        SipEndPoint? source = null, string callId = "call-1@test")
    {
        var w = SipMessageWriter.Request(method, "sip:1002@127.0.0.1");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP 127.0.0.1:5062;branch={branch};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, "<sip:1001@127.0.0.1>;tag=from1");
        w.Header(HeaderId.To, toTag is null ? "<sip:1002@127.0.0.1>" : $"<sip:1002@127.0.0.1>;tag={toTag}");
        w.Header(HeaderId.CallId, callId);
        w.Header(HeaderId.CSeq, $"{cseq} {(method == SipMethod.Ack ? "ACK" : method.Name())}");
        var m = w.NoBody().ToMessage();
        m.Source = source ?? Peer;
        return m;
    }

    public static SipMessage ResponseTo(SipMessage request, int status, string? toTag = "totag")
    {
        var r = SipResponses.Create(request, status, toTag: toTag);
        r.Source = Peer;
        return r;
    }
}
