using System.Net;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Core;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Tests.Transactions;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Hotline.Switch.Tests.Core;

/// <summary>The switch's SIP core on fake time and an in-memory store, without sockets.</summary>
internal sealed class CoreTestKit : IAsyncDisposable
{
    public static readonly IPEndPoint Phone = new(IPAddress.Parse("192.168.1.20"), 5062);
    public const string Realm = "hotline";

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
    public RecordingSender Sender { get; } = new();
    public TransactionLayer Layer { get; }
    public SwitchCore Core { get; }
    public BindingTable Bindings { get; private set; }
    public HotlineStore Store { get; }
    public LiteDbExtensionRepository Extensions { get; }
    public AuthFailureGuard Guard { get; }
    public SecurityOptions Security { get; } = new();
    public RegistrarOptions RegistrarOptions { get; }
    private readonly MemoryStream _db = new();

    public CoreTestKit(RegistrarOptions? registrar = null)
    {
        RegistrarOptions = registrar ?? new RegistrarOptions();
        Store = new HotlineStore(_db, "/tmp/hotline-test");
        Extensions = new LiteDbExtensionRepository(Store);
        ExtensionSeed.Apply(Extensions, [
            new ExtensionConfig { Number = "1001", Name = "One", Password = "secret1001" },
            new ExtensionConfig { Number = "1002", Name = "Two", Password = "secret1002" },
        ], Realm);
        Layer = new TransactionLayer(Sender, Time);
        Guard = new AuthFailureGuard(Security, Time);
        var auth = new DigestAuthenticator(Realm, Extensions, new NonceService(Time, TimeSpan.FromMinutes(5)),
            [DigestAlgorithm.Md5, DigestAlgorithm.Sha256]);
        Core = new SwitchCore(new SipOptions(), auth, Guard, NullLogger.Instance);
        Bindings = NewBindingTable();
        Core.Register(SipMethod.Register, new RegistrarService(Core, Bindings, RegistrarOptions, Time, NullLogger.Instance));
        Layer.User = Core;
    }

    public BindingTable NewBindingTable() =>
        new(new LiteDbBindingRepository(Store), Time, NullLogger.Instance, RegistrarOptions.MaxContactsPerAor);

    /// <summary>Feeds a request as if it came from <paramref name="from"/>; returns the responses it caused.</summary>
    public List<SipMessage> Send(SipMessage request, IPEndPoint? from = null, SipTransportKind transport = SipTransportKind.Udp)
    {
        request.Source = new SipEndPoint(transport, from ?? Phone);
        int before;
        lock (Sender.Sent) before = Sender.Sent.Count;
        Layer.Receive(request);
        lock (Sender.Sent) return Sender.Sent.Skip(before).Select(s => s.Message).Where(m => m.IsResponse).ToList();
    }

    public List<SipMessage> Send(byte[] raw, IPEndPoint? from = null)
    {
        var m = SipParser.Parse(raw, out var error) ?? throw new InvalidOperationException(error);
        Assert.True(m.IsValid, m.ParseError);
        return Send(m, from);
    }

    private static uint s_cseq = 1;

    /// <summary>A REGISTER for <paramref name="user"/> with optional extra header lines.</summary>
    public static SipMessage Register(string user, string contact = "<sip:{0}@192.168.1.20:5062>", int? expires = 3600,
        string? callId = null, uint? cseq = null, string? authorization = null, string extra = "")
    {
        var w = SipMessageWriter.Request(SipMethod.Register, "sip:hotline");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP 192.168.1.20:5062;branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"<sip:{user}@hotline>;tag=abc");
        w.Header(HeaderId.To, $"<sip:{user}@hotline>");
        w.Header(HeaderId.CallId, callId ?? $"reg-{user}@192.168.1.20");
        w.Header(HeaderId.CSeq, $"{cseq ?? s_cseq++} REGISTER");
        if (contact.Length > 0) w.Header(HeaderId.Contact, string.Format(contact, user));
        if (expires is not null) w.Header(HeaderId.Expires, expires.Value);
        if (authorization is not null) w.Header(HeaderId.Authorization, authorization);
        if (extra.Length > 0) w.Append(extra);
        return w.NoBody().ToMessage();
    }

    /// <summary>REGISTER, answer the 401 with <paramref name="password"/>, return the final response.</summary>
    public SipMessage RegisterWithAuth(string user, string password, string contact = "<sip:{0}@192.168.1.20:5062>", int? expires = 3600,
        IPEndPoint? from = null, string callId = "")
    {
        var id = callId.Length > 0 ? callId : $"reg-{user}-{Guid.NewGuid():N}@phone";
        var challenge = Assert.Single(Send(Register(user, contact, expires, id), from));
        Assert.Equal(401, challenge.StatusCode);
        var answer = new DigestClient(user, password).Answer(challenge, "REGISTER", "sip:hotline")!.Value;
        return Assert.Single(Send(Register(user, contact, expires, id, authorization: answer.Value), from));
    }

    public async ValueTask DisposeAsync()
    {
        await Bindings.DisposeAsync();
        Store.Dispose();
    }
}
