using Hotline.Switch;
using Hotline.Switch.Mwi;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr;

/// <summary>
/// Plugs the IVR into a switch: destinations for IVR, voicemail and feature-code calls, the message-summary
/// notifier for SUBSCRIBE (with in-dialog refreshes routed past the call layer), and the campaign dialer on
/// the switch's call originator. The composition root builds one after the switch and starts it after the
/// switch has started.
/// </summary>
public sealed class IvrModule : IAsyncDisposable
{
    public IvrModule(HotlineSwitch sw, IvrOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        Switch = sw;
        Services = new IvrServices(sw.Store, options, sw.Calls, time, loggers);
        foreach (var kind in new[] { RouteTargetKind.Ivr, RouteTargetKind.Voicemail, RouteTargetKind.Feature })
            sw.Calls.RegisterDestination(kind, Services.Destinations);
        Mwi = new MwiNotifier(sw.Stack.Transactions, Hotline.Switch.Dialogs.LocalContact.From(sw.Stack.AdvertisedEndPoint),
            Services.Voicemail, options.Mwi, sw.Settings.Sip.Realm, sw.Settings.Sip.UserAgent, sw.Stack.Bindings, loggers.CreateLogger("Hotline.Switch.Mwi"));
        Services.Voicemail.MailboxChanged += Mwi.Changed;
        sw.Stack.Core.Register(SipMethod.Subscribe, Mwi);
        sw.Stack.Core.Dialogs = new MwiDialogRouter(Mwi, sw.Calls);
    }

    public HotlineSwitch Switch { get; }
    public IvrServices Services { get; }
    public MwiNotifier Mwi { get; }

    /// <summary>A queue service (the contact centre's) for flows and hotlines to hand callers to.</summary>
    public void RegisterQueue(Hotline.Switch.Calls.ICallDestination queues) => Services.Destinations.Register(RouteTargetKind.Queue, queues);

    public Task StartAsync(string contentRoot, CancellationToken ct) => Services.StartAsync(contentRoot, ct);

    public async ValueTask DisposeAsync()
    {
        Services.Voicemail.MailboxChanged -= Mwi.Changed;
        Mwi.Dispose();
        await Services.DisposeAsync();
    }
}
