using Hotline.Ivr.FollowMe;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Destinations;

/// <summary>
/// The destination for <see cref="RouteTargetKind.Voicemail"/> targets (value: the mailbox, usually an
/// extension number). Call control sends an extension's unanswered calls here; when that user has an enabled
/// follow-me profile, their outside numbers are rung first and only an unanswered follow-me ends in voicemail.
/// </summary>
public sealed class VoicemailDestination(VoicemailCalls voicemail, FollowMeService followMe) : ICallDestination
{
    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        var ct = call.Ended;
        var mailbox = target.Value;
        if (followMe.Get(target.Value) is { Enabled: true } profile)
        {
            // The desk phone already rang (that is how the call got here), unless the user is away.
            var result = await followMe.RunAsync(call, profile, ringExtension: false, ct);
            if (result.Outcome is ConnectOutcome.Answered or ConnectOutcome.CallerHungUp) return;
            mailbox = profile.Mailbox ?? profile.Id;
            if (mailbox.Length == 0)
            {
                await call.HangupAsync(480);
                return;
            }
        }
        await voicemail.LeaveMessageAsync(call, mailbox, null, ct);
        await call.HangupAsync();
    }
}
