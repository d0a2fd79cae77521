using Hotline.Switch.Accounts;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Where to ring a number the contact centre dials by itself (callbacks, click-to-dial): a local extension
/// when it is one (a citizen who called from a desk phone), else out through the trunks.
/// </summary>
public sealed class NumberTargets(IExtensionRepository? extensions)
{
    public RouteTarget For(string number) =>
        extensions?.Find(number) is { Enabled: true } ? new RouteTarget(RouteTargetKind.Extension, number) : new RouteTarget(RouteTargetKind.External, number);
}
