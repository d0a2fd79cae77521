using Hotline.Switch.Accounts;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Api;

/// <summary>Registers the query and command interfaces that the panel and the REST API use, over a running <see cref="SipStack"/>.</summary>
public static class SwitchApiServices
{
    /// <summary>Needs <see cref="HotlineStore"/>, <see cref="HotlineSwitch"/> and <see cref="TimeProvider"/> in the container.</summary>
    public static IServiceCollection AddSwitchApi(this IServiceCollection services)
    {
        services.AddSingleton<IDocumentStore>(sp => new LiteDbDocumentStore(sp.GetRequiredService<HotlineStore>()));
        services.AddSingleton<ICdrStore>(sp => sp.GetRequiredService<HotlineSwitch>().Cdrs);
        services.AddSingleton<IExtensionRepository>(sp => sp.GetRequiredService<HotlineSwitch>().Stack.Extensions);
        services.AddSingleton<Routing.IRouteRepository>(sp => sp.GetRequiredService<HotlineSwitch>().RouteRepository);
        services.AddSingleton<Trunks.ITrunkRepository>(sp => sp.GetRequiredService<HotlineSwitch>().TrunkRepository);
        services.AddSingleton<IStoreArchive>(sp => new LiteDbStoreArchive(sp.GetRequiredService<HotlineStore>(), sp.GetRequiredService<IExtensionRepository>(),
            sp.GetRequiredService<HotlineSwitch>().Trunks.Reconcile));
        services.AddSingleton(sp =>
        {
            var hotline = sp.GetRequiredService<HotlineSwitch>();
            var stack = hotline.Stack;
            var endpoint = new SwitchEndpoint(stack.Options.ListenAddress, stack.Port, stack.Options.Realm, CallControl: true);
            return new SwitchMonitor(() => endpoint, stack.Bindings, stack.Guard, hotline.Calls,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hotline.Switch.Api"),
                hotline.Trunks.Status, hotline.Media.GetStatistics, hotline.Overload);
        });
        // Placing calls (a supervisor's phone rung to listen in) and finding live calls (who is talking to whom) for the contact-centre API.
        services.AddSingleton<Calls.ICallOriginator>(sp => sp.GetRequiredService<HotlineSwitch>().Calls);
        services.AddSingleton<Calls.ILiveCalls>(sp => sp.GetRequiredService<HotlineSwitch>().LiveCalls);
        services.AddSingleton<ISwitchStatus>(sp => sp.GetRequiredService<SwitchMonitor>());
        services.AddSingleton<ISwitchCommands>(sp => sp.GetRequiredService<SwitchMonitor>());
        return services;
    }
}
