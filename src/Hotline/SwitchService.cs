using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Registrar;
using Hotline.Switch.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline;

/// <summary>Opens the store, seeds configured extensions, and runs the SIP stack for the life of the host.</summary>
internal sealed class SwitchService(
    IConfiguration configuration, SipOptions sip, StorageOptions storage, SecurityOptions security, RegistrarOptions registrar,
    TimeProvider time, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("Hotline");
    private HotlineStore? _store;
    private SipStack? _stack;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _store = new HotlineStore(storage);
        _stack = new SipStack(sip, security, registrar, _store, time, loggers);
        var configured = configuration.GetSection("Extensions").Get<List<ExtensionConfig>>() ?? [];
        var seeded = ExtensionSeed.Apply(_stack.Extensions, configured, sip.Realm);
        _stack.Start();
        _logger.LogInformation("Hotline SIP on udp+tcp {Address}:{Port}, realm {Realm}, {Extensions} extensions ({Seeded} from configuration updated), data in {Data}",
            sip.ListenAddress, _stack.Port, sip.Realm, _stack.Extensions.List().Count, seeded, _store.DataDirectory);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stack is not null) await _stack.DisposeAsync();
        _stack = null;
        _store?.Dispose();
        _store = null;
    }
}
