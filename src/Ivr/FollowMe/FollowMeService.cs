using Hotline.Ivr.Calls;
using Hotline.Ivr.Storage;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.FollowMe;

/// <summary>
/// Rings a user's follow-me numbers for a call. Sequential profiles try each number for its ring time;
/// simultaneous ones ring them all through <see cref="ParallelConnect"/> when the switch offers one (the
/// channel contract connects one destination at a time, so without it they are rung in order, and a warning
/// says so).
/// </summary>
public sealed class FollowMeService
{
    private readonly JsonCollection<FollowMeProfile> _profiles;
    private readonly CallPrompts _prompts;
    private readonly ILogger _logger;

    public FollowMeService(HotlineStore store, CallPrompts prompts, ILogger logger)
    {
        _profiles = new JsonCollection<FollowMeProfile>(store, "ivr_followme");
        _prompts = prompts;
        _logger = logger;
    }

    /// <summary>Rings several destinations at once and connects the first to accept; set by the composition when the switch can.</summary>
    public Func<ICallChannel, IReadOnlyList<RouteTarget>, ConnectOptions, CancellationToken, Task<ConnectResult>>? ParallelConnect { get; set; }

    public IReadOnlyList<FollowMeProfile> List() => _profiles.All();
    public FollowMeProfile? Get(string id) => _profiles.Find(id);

    public void Save(FollowMeProfile profile)
    {
        IvrValidationException.ThrowIfAny(profile.Problems());
        _profiles.Save(profile.Id, profile);
    }

    public bool Delete(string id) => _profiles.Delete(id);

    /// <summary>Whether calls to <paramref name="extension"/> should skip its desk phone (call control can route them straight here).</summary>
    public bool IsAway(string extension) => _profiles.Find(extension) is { Enabled: true, Away: true };

    /// <summary>
    /// Follows the user: their extension first unless away (with <paramref name="ringExtension"/>), then the numbers.
    /// Returns the connection's result; anything but Answered means nobody took the call.
    /// </summary>
    public async Task<ConnectResult> RunAsync(ICallChannel call, FollowMeProfile profile, bool ringExtension, CancellationToken ct)
    {
        if (ringExtension && !profile.Away && profile.RingExtensionSeconds > 0)
        {
            var desk = await call.ConnectAsync(new RouteTarget(RouteTargetKind.Extension, profile.Id),
                new ConnectOptions(TimeSpan.FromSeconds(profile.RingExtensionSeconds), profile.Record), ct);
            if (desk.Outcome is ConnectOutcome.Answered or ConnectOutcome.CallerHungUp) return desk;
        }
        var accept = _prompts.Resolver.Resolve(profile.AcceptPrompt);
        ConnectOptions Options(double seconds) => new(TimeSpan.FromSeconds(seconds), profile.Record, CallerId: null, profile.AcceptDigit, accept);
        if (profile.Mode == FollowMeMode.Simultaneous && profile.Numbers.Count > 1)
        {
            if (ParallelConnect is { } parallel)
            {
                var targets = profile.Numbers.Select(n => new RouteTarget(RouteTargetKind.External, n.Number)).ToList();
                return await parallel(call, targets, Options(profile.Numbers.Max(n => n.RingSeconds)), ct);
            }
            _logger.LogWarning("follow-me {Profile}: the switch cannot ring several numbers at once; ringing them in order", profile.Id);
        }
        var last = new ConnectResult(ConnectOutcome.NoAnswer, 480, null);
        foreach (var number in profile.Numbers)
        {
            _logger.LogInformation("call {CallId}: follow-me {Profile} rings {Number}", call.CallId, profile.Id, number.Number);
            last = await call.ConnectAsync(new RouteTarget(RouteTargetKind.External, number.Number), Options(number.RingSeconds), ct);
            if (last.Outcome is ConnectOutcome.Answered or ConnectOutcome.CallerHungUp) return last;
        }
        return last;
    }
}
