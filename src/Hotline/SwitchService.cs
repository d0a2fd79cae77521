using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hotline;

/// <summary>Seeds configured extensions and runs the SIP stack for the life of the host (the container owns and disposes the store and the stack).</summary>
internal sealed class SwitchService(IConfiguration configuration, SipOptions sip, HotlineStore store, SipStack stack, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger("Hotline");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = configuration.GetSection("Extensions").Get<List<ExtensionConfig>>() ?? [];
        var seeded = ExtensionSeed.Apply(stack.Extensions, configured, sip.Realm);
        stack.Start();
        _logger.LogInformation("Hotline SIP on udp+tcp {Address}:{Port}, realm {Realm}, {Extensions} extensions ({Seeded} from configuration updated), data in {Data}",
            sip.ListenAddress, stack.Port, sip.Realm, stack.Extensions.List().Count, seeded, store.DataDirectory);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
