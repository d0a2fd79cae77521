using Hotline.Switch;
using Hotline.Switch.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline;

/// <summary>Opens the store and runs the switch for the life of the host.</summary>
internal sealed class SwitchService(SwitchSettings settings, StorageOptions storage, TimeProvider time, ILoggerFactory loggers)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("Hotline");
    private HotlineStore? _store;
    private HotlineSwitch? _switch;

    public HotlineSwitch? Switch => _switch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = new HotlineStore(storage);
        _switch = new HotlineSwitch(settings, _store, time, loggers);
        _switch.Start();
        _logger.LogInformation(
            "Hotline SIP on udp+tcp {Address}:{Port}, realm {Realm}, {Extensions} extensions ({Seeded} from configuration updated), RTP {RtpMin}-{RtpMax}, data in {Data}",
            settings.Sip.ListenAddress, _switch.Stack.Port, settings.Sip.Realm, _switch.Stack.Extensions.List().Count, _switch.SeededExtensions,
            settings.Media.RtpPortMin, settings.Media.RtpPortMax, _store.DataDirectory);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_switch is not null) await _switch.DisposeAsync();
        _switch = null;
        _store?.Dispose();
        _store = null;
    }
}
