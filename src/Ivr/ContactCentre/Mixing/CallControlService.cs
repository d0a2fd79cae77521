using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre.Mixing;

public enum CallControlResult { Done, NoSuchCall, Unreachable, NotAllowed }

/// <summary>
/// What an agent does to a call in progress, from the panel: bring in an outside department (three-way),
/// hand the citizen over after introducing them (warm, consultative transfer: three-way, then the agent
/// drops out), hand over blind, and play an earlier call's recording to the citizen.
/// The call's variables (caller, flow variables, case id) travel with it in every case.
/// </summary>
public sealed class CallControlService
{
    private readonly LiveCallRooms _rooms;
    private readonly ICallOriginator _originator;
    private readonly NumberTargets _targets;
    private readonly ICdrStore _cdrs;
    private readonly string _recordingsRoot;
    private readonly ContactCentreEvents _events;

    /// <param name="recordingsRoot">Only recordings under this folder may be played into calls.</param>
    public CallControlService(LiveCallRooms rooms, ICallOriginator originator, NumberTargets targets, ICdrStore cdrs, string recordingsRoot, ContactCentreEvents events)
    {
        _rooms = rooms;
        _originator = originator;
        _targets = targets;
        _cdrs = cdrs;
        _recordingsRoot = Path.GetFullPath(recordingsRoot);
        _events = events;
    }

    /// <summary>
    /// Rings <paramref name="department"/> (an extension or a number) and, when it answers, joins it to the
    /// agent's call: agent, citizen and department all hear each other.
    /// </summary>
    public async Task<(CallControlResult Result, IMixMember? Department)> ThreeWayAsync(string agentPhone, string department, CancellationToken ct = default)
    {
        var live = await _rooms.OpenForPartyAsync(agentPhone, ct).ConfigureAwait(false);
        if (live is null) return (CallControlResult.NoSuchCall, null);
        var citizen = live.OtherThan(agentPhone)?.Party ?? agentPhone;
        var result = await _originator.OriginateAsync(new OriginateRequest(_targets.For(department), citizen, null, TimeSpan.FromSeconds(30)), ct).ConfigureAwait(false);
        if (result is not { Outcome: ConnectOutcome.Answered, Channel: { } channel }) return (CallControlResult.Unreachable, null);
        var member = await live.Room.JoinAsync(channel, MixRole.Talker, ct).ConfigureAwait(false);
        live.Room.PlayTone(RoomTone.Join);
        _events.Publish("call.threeway", new { live.Call.CallId, Agent = agentPhone, Department = department });
        return (CallControlResult.Done, member);
    }

    /// <summary>
    /// Consultative transfer: the target joins as in a three-way; when the agent has introduced the
    /// citizen, <see cref="CompleteTransferAsync"/> drops the agent and leaves citizen and target talking.
    /// </summary>
    public Task<(CallControlResult Result, IMixMember? Department)> ConsultAsync(string agentPhone, string target, CancellationToken ct = default) =>
        ThreeWayAsync(agentPhone, target, ct);

    /// <summary>Ends the agent's part in a consultative transfer or three-way (their leg is hung up; the others go on).</summary>
    public async Task<CallControlResult> CompleteTransferAsync(string agentPhone, CancellationToken ct = default)
    {
        var live = await _rooms.OpenForPartyAsync(agentPhone, ct).ConfigureAwait(false);
        if (live?.PartyAt(agentPhone) is not { } agent) return CallControlResult.NoSuchCall;
        if (live.Room.Count < 3) return CallControlResult.NotAllowed; // nobody to hand over to: that would just hang up
        _events.Publish("call.transferred", new { live.Call.CallId, Agent = agentPhone, Mode = "consultative" });
        await agent.HangupAsync().ConfigureAwait(false);
        return CallControlResult.Done;
    }

    /// <summary>Blind transfer of the citizen to another agent's extension, a queue or a number.</summary>
    public async Task<CallControlResult> TransferAsync(string agentPhone, RouteTarget target, CancellationToken ct = default)
    {
        if (_rooms.Calls.FindByParty(agentPhone) is not { } call) return CallControlResult.NoSuchCall;
        if (!await _rooms.Calls.TransferAsync(call.CallId, agentPhone, target, ct).ConfigureAwait(false)) return CallControlResult.Unreachable;
        _events.Publish("call.transferred", new { call.CallId, Agent = agentPhone, Mode = "blind", Target = $"{target.Kind}:{target.Value}" });
        return CallControlResult.Done;
    }

    /// <summary>
    /// Plays the recording of an earlier call (by its CDR id) into the agent's current call: citizen and agent
    /// both hear it. Only files under the recordings folder are played.
    /// </summary>
    public async Task<CallControlResult> PlayRecordingAsync(string agentPhone, string cdrId, CancellationToken ct = default)
    {
        var path = _cdrs.Get(cdrId)?.RecordingPath;
        if (path is null) return CallControlResult.NotAllowed;
        var full = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(_recordingsRoot, path));
        if (!full.StartsWith(_recordingsRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full)) return CallControlResult.NotAllowed;
        var live = await _rooms.OpenForPartyAsync(agentPhone, ct).ConfigureAwait(false);
        if (live is null) return CallControlResult.NoSuchCall;
        _events.Publish("call.playback", new { live.Call.CallId, Agent = agentPhone, Cdr = cdrId });
        await live.Room.PlayAsync(full, ct).ConfigureAwait(false);
        return CallControlResult.Done;
    }
}
