using Hotline.Ivr;
using Hotline.Media.Engine;
using Hotline.Ivr.ContactCentre;
using Hotline.Switch;
using Hotline.Switch.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline;

/// <summary>Starts the switch for the life of the host (the container owns the store and the switch and disposes them).</summary>
internal sealed class SwitchService(HotlineSwitch hotline, IvrModule ivr, ContactCentreModule contactCentre, HotlineStore store, ILoggerFactory loggers)
    : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger("Hotline");

    private readonly CollectionPacer? _pacer = hotline.Settings.Media.CollectionPacer();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = hotline.Settings;
        hotline.Start();
        _pacer?.Start();
        // Flows, prompts (spoken by espeak-ng when missing) and campaigns; the content root holds the seed files.
        await ivr.StartAsync(AppContext.BaseDirectory, cancellationToken);
        await contactCentre.StartAsync(cancellationToken);
        _logger.LogInformation(
            "Hotline SIP on udp+tcp {Address}:{Port}, realm {Realm}, {Extensions} extensions ({Seeded} from configuration updated), RTP {RtpMin}-{RtpMax}, data in {Data}",
            settings.Sip.ListenAddress, hotline.Stack.Port, settings.Sip.Realm, hotline.Stack.Extensions.List().Count, hotline.SeededExtensions,
            settings.Media.RtpPortMin, settings.Media.RtpPortMax, store.DataDirectory);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _pacer?.Dispose();
        return Task.CompletedTask;
    }
}
