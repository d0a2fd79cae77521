using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Conference;
using Hotline.Ivr.ContactCentre.Engine;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Admin.ContactCentre;

/// <summary>
/// A supervisor joins an agent's live call: <see cref="Supervisor"/> is the supervisor's agent number (it must
/// have the supervisor role), the call is the one at <see cref="AgentPhone"/> (or where <see cref="Agent"/> is
/// logged in), and <see cref="Phone"/> is the phone to ring (default: where the supervisor is logged in).
/// </summary>
public sealed record SupervisionInput(string? Supervisor, string? AgentPhone, string? Agent, SupervisorMode Mode = SupervisorMode.Listen, string? Phone = null);

public sealed record SupervisionStarted(string Supervisor, string AgentPhone, string Phone, SupervisorMode Mode);

/// <summary>What is done to an agent's call from the panel: <see cref="Target"/> is a department, an extension, a number, or "Kind:Value" for a blind transfer.</summary>
public sealed record CallControlInput(string? AgentPhone, string? Target, string? CdrId = null);

public enum CallControlAction { ThreeWay, Consult, Complete, Transfer, Playback }

/// <summary>
/// Listening to, whispering to and barging into agents' calls (supervisor role only), the agent's call
/// controls (three-way, consultative and blind transfer, playing an earlier recording into the call), and the
/// live conference rooms (mute, kick, record). Each needs the media engine's mixing rooms; without them the
/// commands are refused with that reason. Every command is audited.
/// </summary>
public sealed class CallSupervision(ContactCentreHost contactCentre, ICallOriginator originator, ILiveCalls liveCalls, Hotline.Switch.Accounts.IExtensionRepository extensions,
    AuditLog audit, ILogger<CallSupervision> logger)
{
    private const string NoMixing = "this switch offers no mixing rooms (the media engine's conference support), which this needs";

    public bool CanSupervise => contactCentre.Supervisors is not null;
    public bool CanControlCalls => contactCentre.CallControl is not null;
    public bool HasConferences => contactCentre.Conferences is not null;

    public IReadOnlyList<MonitorSession> Sessions() => contactCentre.Supervisors?.Active() ?? [];

    /// <summary>Checks the request, then rings the supervisor's phone in the background; the session shows in <see cref="Sessions"/> once they answer.</summary>
    public async Task<Outcome<SupervisionStarted>> StartAsync(SupervisionInput input, Actor actor)
    {
        if (contactCentre.Supervisors is not { } supervisors) return Outcome<SupervisionStarted>.Refused(NoMixing);
        var supervisor = input.Supervisor?.Trim() ?? "";
        if (!supervisors.IsSupervisor(supervisor))
            return Outcome<SupervisionStarted>.Invalid("Supervisor", supervisor.Length == 0 ? "is required: the supervisor's agent number" : $"agent {supervisor} does not have the supervisor role");
        var agentPhone = input.AgentPhone?.Trim();
        if (string.IsNullOrEmpty(agentPhone) && input.Agent is { Length: > 0 } agent)
        {
            agentPhone = (await contactCentre.Agents.StateAsync(agent).ConfigureAwait(false)) is { State: not AgentState.LoggedOut, Phone: { } p } ? p : null;
            if (agentPhone is null) return Outcome<SupervisionStarted>.Invalid("Agent", $"agent {agent} is not logged in");
        }
        if (string.IsNullOrEmpty(agentPhone)) return Outcome<SupervisionStarted>.Invalid("AgentPhone", "is required: the extension whose call to join");
        if (liveCalls.FindByParty(agentPhone) is null) return Outcome<SupervisionStarted>.Refused($"extension {agentPhone} is on no call");
        var phone = input.Phone?.Trim();
        if (string.IsNullOrEmpty(phone))
        {
            phone = (await contactCentre.Agents.StateAsync(supervisor).ConfigureAwait(false)) is { State: not AgentState.LoggedOut, Phone: { } p } ? p : null;
            if (phone is null) return Outcome<SupervisionStarted>.Invalid("Phone", $"supervisor {supervisor} is not logged in: name the phone to ring");
        }
        if (phone == agentPhone) return Outcome<SupervisionStarted>.Invalid("Phone", "must not be the agent's own phone");
        var mode = input.Mode;
        var started = new SupervisionStarted(supervisor, agentPhone, phone, mode);
        audit.Write(actor.Name, "supervision.start", agentPhone,
            [new AuditChange { Field = "Supervisor", New = supervisor }, new AuditChange { Field = "Mode", New = mode.ToString() }, new AuditChange { Field = "Phone", New = phone }], actor.Address);
        _ = Task.Run(async () =>
        {
            try
            {
                var result = await supervisors.StartAsync(originator, supervisor, agentPhone, mode, phone).ConfigureAwait(false);
                if (result != MonitorResult.Ended) contactCentre.Events.Publish("supervisor.failed", new { Supervisor = supervisor, AgentPhone = agentPhone, Phone = phone, Result = result });
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "supervision of {AgentPhone} by {Supervisor} failed", agentPhone, supervisor);
                contactCentre.Events.Publish("supervisor.failed", new { Supervisor = supervisor, AgentPhone = agentPhone, Phone = phone, Result = e.Message });
            }
        });
        return started;
    }

    /// <summary>Switches a session between listen, whisper and barge.</summary>
    public Outcome<MonitorSession> SetMode(string supervisorCall, SupervisorMode mode, Actor actor)
    {
        if (contactCentre.Supervisors is not { } supervisors) return Outcome<MonitorSession>.Refused(NoMixing);
        var before = supervisors.Active().FirstOrDefault(s => s.SupervisorCall == supervisorCall);
        if (before is null || !supervisors.SetMode(supervisorCall, mode)) return Outcome<MonitorSession>.NotFound();
        audit.Write(actor.Name, "supervision.mode", before.Agent, [new AuditChange { Field = "Mode", Old = before.Mode.ToString(), New = mode.ToString() }], actor.Address);
        return supervisors.Active().FirstOrDefault(s => s.SupervisorCall == supervisorCall) ?? before with { Mode = mode };
    }

    public async Task<Outcome<string>> ControlAsync(CallControlAction action, CallControlInput input, Actor actor, CancellationToken ct)
    {
        if (contactCentre.CallControl is not { } control) return Outcome<string>.Refused(NoMixing);
        var agentPhone = input.AgentPhone?.Trim() ?? "";
        if (agentPhone.Length == 0) return Outcome<string>.Invalid("AgentPhone", "is required: the agent's extension");
        var target = input.Target?.Trim() ?? "";
        CallControlResult result;
        switch (action)
        {
            case CallControlAction.ThreeWay or CallControlAction.Consult:
                if (target.Length < 2 || !target.TrimStart('+').All(char.IsAsciiDigit)) return Outcome<string>.Invalid("Target", "must be an extension or a phone number");
                result = (action == CallControlAction.ThreeWay ? await control.ThreeWayAsync(agentPhone, target, ct) : await control.ConsultAsync(agentPhone, target, ct)).Result;
                break;
            case CallControlAction.Complete:
                result = await control.CompleteTransferAsync(agentPhone, ct);
                break;
            case CallControlAction.Transfer:
                var route = QueueDefinition.TryParseTarget(target, out var t) ? t
                    : target.Length >= 2 && target.TrimStart('+').All(char.IsAsciiDigit) ? new Hotline.Switch.Routing.RouteTarget(
                        extensions.Find(target) is null ? Hotline.Switch.Routing.RouteTargetKind.External : Hotline.Switch.Routing.RouteTargetKind.Extension, target) : null;
                if (route is null) return Outcome<string>.Invalid("Target", "must be an extension, a number, or Kind:Value (Queue:8000, Ivr:night, Voicemail:1001 …)");
                result = await control.TransferAsync(agentPhone, route, ct);
                break;
            default:
                if (string.IsNullOrWhiteSpace(input.CdrId)) return Outcome<string>.Invalid("CdrId", "is required: the call record whose recording to play");
                result = await control.PlayRecordingAsync(agentPhone, input.CdrId.Trim(), ct);
                break;
        }
        if (result != CallControlResult.Done)
        {
            return result switch
            {
                CallControlResult.NoSuchCall => Outcome<string>.Refused($"extension {agentPhone} is on no call"),
                CallControlResult.Unreachable => Outcome<string>.Refused($"{target} did not answer"),
                _ when action == CallControlAction.Playback => Outcome<string>.Invalid("CdrId", $"call record {input.CdrId} has no recording that may be played"),
                _ => Outcome<string>.Refused("nobody to hand the call over to: bring a third party in first"),
            };
        }
        var changes = new List<AuditChange> { new() { Field = "Action", New = action.ToString() } };
        if (target.Length > 0) changes.Add(new AuditChange { Field = "Target", New = target });
        if (input.CdrId is { Length: > 0 } cdr) changes.Add(new AuditChange { Field = "CdrId", New = cdr });
        audit.Write(actor.Name, "call." + action.ToString().ToLowerInvariant(), agentPhone, changes, actor.Address);
        return result.ToString();
    }

    public IReadOnlyList<ConferenceRoomState> Conferences() => contactCentre.Conferences?.Rooms() ?? [];

    public Outcome<ConferenceRoomState> Mute(string room, string callId, bool muted, Actor actor)
    {
        if (contactCentre.Conferences is not { } rooms) return Outcome<ConferenceRoomState>.Refused(NoMixing);
        if (!rooms.Mute(room, callId, muted)) return Outcome<ConferenceRoomState>.NotFound();
        audit.Write(actor.Name, muted ? "conference.mute" : "conference.unmute", $"{room}/{callId}", [new AuditChange { Field = "Muted", New = muted ? "true" : "false" }], actor.Address);
        return rooms.Room(room)!;
    }

    public async Task<Outcome<string>> KickAsync(string room, string callId, Actor actor)
    {
        if (contactCentre.Conferences is not { } rooms) return Outcome<string>.Refused(NoMixing);
        if (!await rooms.KickAsync(room, callId)) return Outcome<string>.NotFound();
        audit.Write(actor.Name, "conference.kick", $"{room}/{callId}", [], actor.Address);
        return callId;
    }

    public async Task<Outcome<string>> RecordAsync(string room, bool start, Actor actor)
    {
        if (contactCentre.Conferences is not { } rooms) return Outcome<string>.Refused(NoMixing);
        if (rooms.Room(room) is null) return Outcome<string>.NotFound();
        var done = start ? rooms.StartRecording(room) : await rooms.StopRecordingAsync(room);
        if (!done) return Outcome<string>.Refused(start ? $"room {room} is being recorded already" : $"room {room} is not being recorded");
        audit.Write(actor.Name, start ? "conference.record" : "conference.stoprecord", room, [], actor.Address);
        return room;
    }
}
