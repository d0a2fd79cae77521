using Hotline.Ivr.Calls;
using Hotline.Ivr.Storage;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Hotline.Switch.Store;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.FollowMe;

/// <summary>
/// Rings a user's follow-me numbers for a call. Sequential profiles try each number for its ring time;
/// simultaneous ones fork to them all at once (<see cref="ICallChannel.ConnectAnyAsync"/>: the first to answer
/// wins and the rest are cancelled), ringing for the longest of their ring times.
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
            _logger.LogInformation("call {CallId}: follow-me {Profile} rings {Count} numbers at once", call.CallId, profile.Id, profile.Numbers.Count);
            var targets = profile.Numbers.Select(n => new RouteTarget(RouteTargetKind.External, n.Number)).ToList();
            return await call.ConnectAnyAsync(targets, Options(profile.Numbers.Max(n => n.RingSeconds)), ct);
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
