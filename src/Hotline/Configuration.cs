using Hotline.Switch;
using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Calls;
using Hotline.Switch.Registrar;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Hotline.Switch.Trunks;
using Microsoft.Extensions.Configuration;

namespace Hotline;

/// <summary>Reads the switch's settings from configuration sections.</summary>
internal static class Configuration
{
    public static StorageOptions Storage(IConfiguration c) => c.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();

    public static SwitchSettings Switch(IConfiguration c) => new()
    {
        Sip = c.GetSection("Sip").Get<SipOptions>() ?? new SipOptions(),
        Security = c.GetSection("Security").Get<SecurityOptions>() ?? new SecurityOptions(),
        Registrar = c.GetSection("Registrar").Get<RegistrarOptions>() ?? new RegistrarOptions(),
        Calls = c.GetSection("Calls").Get<CallOptions>() ?? new CallOptions(),
        Media = c.GetSection("Media").Get<MediaSettings>() ?? new MediaSettings(),
        Numbering = c.GetSection("Numbering").Get<NumberingOptions>() ?? new NumberingOptions(),
        Extensions = c.GetSection("Extensions").Get<List<ExtensionConfig>>() ?? [],
        Trunks = c.GetSection("Trunks").Get<List<TrunkConfig>>() ?? [],
        OutboundRoutes = c.GetSection("OutboundRoutes").Get<List<OutboundRouteConfig>>() ?? [],
        InboundRoutes = c.GetSection("InboundRoutes").Get<List<InboundRouteConfig>>() ?? [],
    };
}
