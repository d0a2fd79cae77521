using Hotline.Switch;
using Hotline.Switch.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline;

/// <summary>Starts the switch for the life of the host (the container owns the store and the switch and disposes them).</summary>
internal sealed class SwitchService(HotlineSwitch hotline, HotlineStore store, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger("Hotline");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = hotline.Settings;
        hotline.Start();
        _logger.LogInformation(
            "Hotline SIP on udp+tcp {Address}:{Port}, realm {Realm}, {Extensions} extensions ({Seeded} from configuration updated), RTP {RtpMin}-{RtpMax}, data in {Data}",
            settings.Sip.ListenAddress, hotline.Stack.Port, settings.Sip.Realm, hotline.Stack.Extensions.List().Count, hotline.SeededExtensions,
            settings.Media.RtpPortMin, settings.Media.RtpPortMax, store.DataDirectory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
