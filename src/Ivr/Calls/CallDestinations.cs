using System.Collections.Concurrent;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Calls;

/// <summary>
/// The destinations a call can be handed to, by <see cref="RouteTargetKind"/>, with feature codes dispatched by
/// longest matching prefix ("*97", "*98", "*78" …). Call control runs the registered destination for a routed
/// call; flows use the same registry to send a caller to a queue or a feature, in the same call.
/// </summary>
public sealed class CallDestinations : ICallDestination
{
    private readonly ConcurrentDictionary<RouteTargetKind, ICallDestination> _kinds = new();
    private readonly ConcurrentDictionary<string, ICallDestination> _features = new(StringComparer.Ordinal);

    public void Register(RouteTargetKind kind, ICallDestination destination)
    {
        if (kind == RouteTargetKind.Feature) throw new ArgumentException("feature codes are registered with RegisterFeature", nameof(kind));
        _kinds[kind] = destination;
    }

    public void RegisterFeature(string code, ICallDestination destination)
    {
        if (code.Length < 2 || code[0] != '*' || !code.Skip(1).All(c => char.IsAsciiDigit(c) || c == '*'))
            throw new ArgumentException($"feature code '{code}' must be * followed by digits", nameof(code));
        _features[code] = destination;
    }

    public bool Handles(RouteTarget target) => Find(target) is not null;

    public IReadOnlyCollection<string> FeatureCodes => _features.Keys.Order(StringComparer.Ordinal).ToList();

    public ICallDestination? Find(RouteTarget target)
    {
        if (target.Kind != RouteTargetKind.Feature) return _kinds.GetValueOrDefault(target.Kind);
        return _features.Where(f => target.Value.StartsWith(f.Key, StringComparison.Ordinal)).MaxBy(f => f.Key.Length).Value;
    }

    /// <summary>Runs the destination for <paramref name="target"/>; a target nobody serves is refused with 404.</summary>
    public Task RunAsync(ICallChannel call, RouteTarget target)
    {
        var destination = Find(target);
        return destination is null ? call.HangupAsync(404, $"no service for {target.Kind} {target.Value}") : destination.RunAsync(call, target);
    }
}
