using Hotline.Ivr.Calls;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Blacklist;

/// <summary>Carries out a blacklist entry's action on a call.</summary>
public sealed class BlacklistCalls(CallPrompts prompts, VoicemailCalls voicemail, ILogger logger)
{
    /// <param name="mailbox">The hotline's own mailbox, for entries that send to voicemail without naming a box.</param>
    public async Task EnforceAsync(ICallChannel call, BlacklistEntry entry, string? mailbox, CancellationToken ct)
    {
        logger.LogInformation("call {CallId} from {Caller} to {Dialled} is blacklisted ({Kind} {Number}): {Action}",
            call.CallId, call.Caller, call.Dialled, entry.Kind, entry.Number, entry.Action);
        switch (entry.Action)
        {
            case BlacklistAction.Reject:
                // Refused before answer: the caller's network plays its own tone; nothing is billed.
                await call.HangupAsync(call.Answered ? 0 : entry.Status, "Blacklisted");
                return;
            case BlacklistAction.Notice:
                await prompts.PlayAsync(call, [entry.NoticePrompt ?? SystemPrompts.BlacklistNotice], interruptible: false, ct);
                await call.HangupAsync();
                return;
            case BlacklistAction.Voicemail:
                var box = entry.Mailbox ?? mailbox;
                if (box is not null) await voicemail.LeaveMessageAsync(call, box, null, ct);
                await call.HangupAsync(call.Answered ? 0 : 603);
                return;
        }
    }
}
