using System.Net;
using Hotline.Switch.Accounts;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Mwi;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Hotline.Switch.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Hotline.Ivr.Tests.Support;

/// <summary>Records what the transaction layer sends instead of putting it on a network.</summary>
internal sealed class RecordingSender : ISipSender
{
    private readonly List<(SipMessage Message, SipEndPoint To)> _sent = [];

    public bool Send(SipMessage message, SipEndPoint destination)
    {
        lock (_sent) _sent.Add((message, destination));
        return true;
    }

    public SipEndPoint ResponseDestination(SipMessage request) => request.Source!;

    public IReadOnlyList<(SipMessage Message, SipEndPoint To)> Sent
    {
        get { lock (_sent) return _sent.ToList(); }
    }

    public IReadOnlyList<SipMessage> Requests(SipMethod method) => Sent.Select(s => s.Message).Where(m => m.IsRequest && m.Method == method).ToList();

    public IReadOnlyList<SipMessage> Responses => Sent.Select(s => s.Message).Where(m => m.IsResponse).ToList();

    /// <summary>Waits (a bounded while: NOTIFYs after a response go out on the thread pool) until <paramref name="count"/> requests of a method were sent.</summary>
    public SipMessage WaitFor(SipMethod method, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var sent = Requests(method);
            if (sent.Count >= count) return sent[count - 1];
            Thread.Sleep(5);
        }
        throw new TimeoutException($"{method} number {count} was never sent (sent {Requests(method).Count})");
    }
}

/// <summary>The MWI notifier on a transaction layer without sockets, over the voicemail service of an <see cref="IvrTestKit"/>.</summary>
internal sealed class MwiTestKit : ITransactionUser, IDisposable
{
    public static readonly SipEndPoint Phone = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Parse("192.168.1.20"), 5062));

    private readonly SipIngress _ingress;

    public MwiTestKit(IvrTestKit ivr, bool withBindings = false)
    {
        Layer = new TransactionLayer(Sender, ivr.Time) { User = this };
        // Messages enter through the ingress, as from a socket, so they carry their source.
        _ingress = new SipIngress(new Hotline.Switch.SipOptions(), ivr.Time, NullLoggerFactory.Instance) { Deliver = Layer.Receive };
        if (withBindings) Bindings = new BindingTable(new LiteDbBindingRepository(ivr.Store), ivr.Time, NullLogger.Instance);
        Notifier = new MwiNotifier(Layer, new LocalContact("10.0.0.1", 5060), ivr.Voicemail, new MwiOptions(), "hotline", "Hotline", Bindings, NullLogger.Instance);
        ivr.Voicemail.MailboxChanged += Notifier.Changed;
    }

    public RecordingSender Sender { get; } = new();
    public TransactionLayer Layer { get; }
    public BindingTable? Bindings { get; }
    public MwiNotifier Notifier { get; }
    /// <summary>The extension the next requests authenticate as (null: a trusted source).</summary>
    public string? As { get; set; } = "1001";

    private uint _cseq;

    public SipMessage Subscribe(string account, int? expires = 600, string callId = "mwi-1@phone", string? toTag = null, string evt = "message-summary", string? accept = null)
    {
        var w = SipMessageWriter.Request(SipMethod.Subscribe, $"sip:{account}@10.0.0.1");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP 192.168.1.20:5062;branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"<sip:{As ?? "front"}@hotline>;tag=phone1");
        w.Header(HeaderId.To, toTag is null ? $"<sip:{account}@hotline>" : $"<sip:{account}@hotline>;tag={toTag}");
        w.Header(HeaderId.CallId, callId);
        w.Header(HeaderId.CSeq, $"{++_cseq} SUBSCRIBE");
        w.Header(HeaderId.Contact, "<sip:1001@192.168.1.20:5062>");
        w.Header(HeaderId.Event, evt);
        if (accept is not null) w.Header(HeaderId.Accept, accept);
        if (expires is not null) w.Header(HeaderId.Expires, expires.Value);
        var request = w.NoBody().ToMessage();
        var before = Sender.Responses.Count;
        _ingress.Handle(request.Bytes, Phone);
        return Sender.Responses.Skip(before).Single();
    }

    /// <summary>The phone answers a NOTIFY.</summary>
    public void Answer(SipMessage notify, int status = 200)
    {
        var response = SipResponses.Create(notify, status);
        _ingress.Handle(response.Bytes, Phone);
    }

    public void OnRequest(ServerTransaction transaction)
    {
        if (transaction.Request.To.Tag.IsPresent)
        {
            if (!Notifier.HandleInDialog(transaction)) transaction.Respond(481);
            return;
        }
        Notifier.Handle(transaction, As is null ? null : new Extension { Number = As });
    }

    public void OnAck(SipMessage ack) { }
    public void OnCancel(ServerInviteTransaction invite, SipMessage cancel) { }
    public void OnStrayResponse(SipMessage response) { }

    public void Dispose()
    {
        Notifier.Dispose();
        Bindings?.DisposeAsync().AsTask().Wait();
    }
}
