using System.Net;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Core;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;
using Hotline.Switch.Store;
using Hotline.Switch.Transactions;
using Hotline.Switch.Transport;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch;

/// <summary>
/// The SIP side of the switch wired together: transports → ingress → transactions → core →
/// handlers (registrar now; calls, voicemail, queues as they land).
/// </summary>
public sealed class SipStack : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public SipStack(SipOptions sip, SecurityOptions security, RegistrarOptions registrar, HotlineStore store,
        TimeProvider time, ILoggerFactory loggers)
    {
        sip.Validate();
        security.Validate();
        registrar.Validate();
        Options = sip;
        Time = time;
        Ingress = new SipIngress(sip, time, loggers);
        Transports = new SipTransports(sip, Ingress, time, loggers);
        Transactions = new TransactionLayer(Transports, time, SipTimers.Default, loggers.CreateLogger("Hotline.Switch.Transactions"));
        Guard = new AuthFailureGuard(security, time);
        Extensions = new LiteDbExtensionRepository(store);
        Authenticator = new DigestAuthenticator(sip.Realm, Extensions, new NonceService(time, TimeSpan.FromSeconds(security.NonceLifetimeSeconds)),
            security.OfferedAlgorithms);
        Core = new SwitchCore(sip, Authenticator, Guard, loggers.CreateLogger("Hotline.Switch.Core"));
        Bindings = new BindingTable(new LiteDbBindingRepository(store), time, loggers.CreateLogger("Hotline.Switch.Registrar"), registrar.MaxContactsPerAor);
        Core.Register(SipMethod.Register, new RegistrarService(Core, Bindings, registrar, time, loggers.CreateLogger("Hotline.Switch.Registrar")));

        Ingress.Deliver = Transactions.Receive;
        Ingress.IsBlocked = Guard.IsBlocked;
        Transports.Tcp.SendFailed = Transactions.OnTransportError;
        Transactions.User = Core;
    }

    public SipOptions Options { get; }
    public TimeProvider Time { get; }
    public SipIngress Ingress { get; }
    public SipTransports Transports { get; }
    public TransactionLayer Transactions { get; }
    public AuthFailureGuard Guard { get; }
    public IExtensionRepository Extensions { get; }
    public DigestAuthenticator Authenticator { get; }
    public SwitchCore Core { get; }
    public BindingTable Bindings { get; }

    /// <summary>The UDP/TCP port actually bound (differs from the option when it was 0).</summary>
    public int Port => Transports.Port;

    /// <summary>Our address as others should reach it, for Via and Contact.</summary>
    public IPEndPoint AdvertisedEndPoint => new(IPAddress.Parse(Options.AdvertisedAddress), Port);

    public void Start() => Transports.Start(_stop.Token);

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        Transports.Dispose();
        await Bindings.DisposeAsync();
        _stop.Dispose();
    }
}
