using Hotline.Ivr.Blacklist;
using Hotline.Ivr.Calls;
using Hotline.Ivr.Engine;
using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Hotlines;
using Hotline.Ivr.Schedules;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Destinations;

/// <summary>
/// The destination for <see cref="RouteTargetKind.Ivr"/> targets. The dial plan hands over the DID's route
/// value: when it names a hotline entry, the caller is checked against the blacklist, the hotline's schedule
/// gives the period, and the period's destination takes the call (a flow, agents, a duty phone, a mailbox);
/// otherwise it names a flow, which runs directly. Every call is written to the IVR call log.
/// </summary>
public sealed class IvrDestination(
    HotlineService hotlines, ScheduleService schedules, BlacklistService blacklist, BlacklistCalls blacklistCalls, FlowInterpreter flows,
    VoicemailCalls voicemail, FollowMeService followMe, CallDestinations destinations, IvrCallLog log, TimeProvider time, ILogger logger) : ICallDestination
{
    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        var start = time.GetUtcNow();
        var entry = hotlines.Get(target.Value);
        var record = new IvrCallRecord { CallId = call.CallId, Caller = call.Caller, Dialled = call.Dialled, Hotline = entry?.Id, Start = start };
        try
        {
            record = entry is null ? await RunFlow(call, target.Value, null, record) : await RunHotline(call, entry, record);
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested)
        {
            record = record with { Outcome = FlowOutcome.CallerLeft.ToString() };
        }
        finally
        {
            log.Add(record with { End = time.GetUtcNow() });
        }
    }

    private async Task<IvrCallRecord> RunHotline(ICallChannel call, HotlineEntry entry, IvrCallRecord record)
    {
        var ct = call.Ended;
        if (entry.CheckBlacklist && blacklist.Check(call.Caller, entry.Id) is { } listed)
        {
            await blacklistCalls.EnforceAsync(call, listed, entry.Mailbox, ct);
            return record with { Blacklisted = true, Outcome = $"blacklisted: {listed.Action}" };
        }
        var period = entry.Schedule is null ? Period.Work : schedules.Current(entry.Schedule)?.Period ?? Period.Work;
        call.Variables[FlowVariables.Hotline] = entry.Id;
        call.Variables[FlowVariables.Period] = FlowInterpreter.PeriodName(period);
        var destination = entry.For(period);
        record = record with { Period = FlowInterpreter.PeriodName(period), Destination = destination?.ToString() };
        logger.LogInformation("call {CallId} from {Caller} to hotline {Hotline} in period {Period}: {Destination}", call.CallId, call.Caller, entry.Id, period, destination);
        if (destination is null)
        {
            await call.HangupAsync(480, "Closed");
            return record with { Outcome = "closed" };
        }
        switch (destination.Kind)
        {
            case DestinationKind.Flow:
                return await RunFlow(call, destination.Value, entry.Id, record);
            case DestinationKind.Queue:
                await destinations.RunAsync(call, new RouteTarget(RouteTargetKind.Queue, destination.Value));
                return record with { Outcome = "queue" };
            case DestinationKind.Extension:
            case DestinationKind.External:
            {
                var kind = destination.Kind == DestinationKind.Extension ? RouteTargetKind.Extension : RouteTargetKind.External;
                var result = await call.ConnectAsync(new RouteTarget(kind, destination.Value), new ConnectOptions(TimeSpan.FromSeconds(destination.RingSeconds)), ct);
                if (result.Outcome is ConnectOutcome.Answered or ConnectOutcome.CallerHungUp) return record with { Outcome = result.Outcome.ToString() };
                return await Voicemail(call, entry.Mailbox, record with { Outcome = result.Outcome.ToString() });
            }
            case DestinationKind.FollowMe:
            {
                var profile = followMe.Get(destination.Value);
                var result = profile is null ? null : await followMe.RunAsync(call, profile, ringExtension: false, ct);
                if (result?.Outcome is ConnectOutcome.Answered or ConnectOutcome.CallerHungUp) return record with { Outcome = result.Outcome.ToString() };
                return await Voicemail(call, profile?.Mailbox ?? entry.Mailbox, record with { Outcome = result?.Outcome.ToString() ?? "no follow-me profile" });
            }
            case DestinationKind.Voicemail:
                return await Voicemail(call, destination.Value, record);
            default:
                await call.HangupAsync(int.TryParse(destination.Value, out var status) ? status : 480);
                return record with { Outcome = "refused" };
        }
    }

    private async Task<IvrCallRecord> RunFlow(ICallChannel call, string flow, string? scope, IvrCallRecord record)
    {
        var result = await flows.RunAsync(call, flow, scope);
        return record with { Flow = flow, Path = result.Path, Outcome = result.Outcome.ToString() };
    }

    private async Task<IvrCallRecord> Voicemail(ICallChannel call, string? mailbox, IvrCallRecord record)
    {
        if (string.IsNullOrEmpty(mailbox))
        {
            await call.HangupAsync(480);
            return record;
        }
        var message = await voicemail.LeaveMessageAsync(call, mailbox, null, call.Ended);
        await call.HangupAsync();
        return record with { Outcome = message is null ? record.Outcome + ", no message" : record.Outcome + ", voicemail" };
    }
}
