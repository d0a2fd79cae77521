using Hotline.Ivr.Calls;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Voicemail;

/// <summary>
/// Voicemail as callers meet it: leaving a message (greeting, beep, recording, kept even when the caller
/// hangs up instead of pressing #) and hearing messages by phone after a PIN (listen, delete, save, next).
/// </summary>
public sealed class VoicemailCalls(VoicemailService voicemail, CallPrompts prompts, ILogger logger)
{
    private static readonly DigitCollection OneKey = new(1, 1, null, TimeSpan.FromSeconds(6));

    public VoicemailService Service => voicemail;

    /// <summary>Takes a message for <paramref name="mailbox"/>; returns it, or null when none was left.</summary>
    public async Task<VoicemailMessage?> LeaveMessageAsync(ICallChannel call, string mailbox, string? greeting = null, CancellationToken ct = default)
    {
        var box = voicemail.GetMailbox(mailbox);
        if (box is null)
        {
            logger.LogWarning("call {CallId}: no mailbox {Mailbox}", call.CallId, mailbox);
            await prompts.PlayAsync(call, [SystemPrompts.Goodbye], false, ct);
            return null;
        }
        if (voicemail.IsFull(box))
        {
            await prompts.PlayAsync(call, [SystemPrompts.VoicemailBoxFull, SystemPrompts.Goodbye], false, ct);
            return null;
        }
        await prompts.PlayAsync(call, [greeting ?? box.Greeting ?? SystemPrompts.VoicemailGreeting], interruptible: false, ct);
        var path = voicemail.NewRecordingPath(box.Id, call.Caller);
        var origin = new MessageOrigin(call.Caller, call.CallerName, call.Dialled, call.CallId);
        RecordResult? result = null;
        try
        {
            result = await call.RecordAsync(path, new RecordOptions(TimeSpan.FromSeconds(box.MaxMessageSeconds), TimeSpan.FromSeconds(5), Beep: true, StopDigit: '#'), ct);
        }
        catch (OperationCanceledException)
        {
            // Most callers hang up instead of pressing #: what was recorded until then is the message.
            return voicemail.Deposit(box.Id, origin, path);
        }
        var message = voicemail.Deposit(box.Id, origin, path, result.Duration);
        if (result.End != RecordEnd.HungUp && !call.Ended.IsCancellationRequested)
            await prompts.PlayAsync(call, [message is null ? SystemPrompts.Goodbye : SystemPrompts.VoicemailThanks], false, ct);
        return message;
    }

    /// <summary>
    /// Message retrieval by phone: asks for the mailbox when <paramref name="mailbox"/> is null, then the PIN
    /// (three tries), then plays new messages and then saved ones, oldest first.
    /// </summary>
    public async Task RetrieveAsync(ICallChannel call, string? mailbox, CancellationToken ct = default)
    {
        await CallPrompts.EnsureAnsweredAsync(call, ct);
        var box = await LoginAsync(call, mailbox, ct);
        if (box is null)
        {
            await prompts.PlayAsync(call, [SystemPrompts.Goodbye], false, ct);
            await call.HangupAsync();
            return;
        }
        var summary = voicemail.Summary(box);
        await prompts.PlayAsync(call, [SystemPrompts.VoicemailYouHave, .. Count(summary.New), SystemPrompts.VoicemailNewMessages, .. Count(summary.Old), SystemPrompts.VoicemailOldMessages], true, ct);
        var queue = voicemail.List(box.Id).OrderBy(m => m.Read).ThenBy(m => m.Received).Select(m => m.Id).ToList();
        foreach (var id in queue)
        {
            if (voicemail.Get(box.Id, id) is not { } message) continue;
            if (!await MessageAsync(call, box, message, ct)) break;
        }
        await prompts.PlayAsync(call, [SystemPrompts.VoicemailNoMoreMessages, SystemPrompts.Goodbye], false, ct);
        await call.HangupAsync();
    }

    private static IEnumerable<string> Count(int n) => SystemPrompts.Digits(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private async Task<Mailbox?> LoginAsync(ICallChannel call, string? mailbox, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var id = mailbox;
            if (id is null)
            {
                id = await prompts.AskAsync(call, [SystemPrompts.VoicemailEnterMailbox], new DigitCollection(1, 16, '#', TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(4)), ct);
                if (id.Length == 0) continue;
            }
            var pin = await prompts.AskAsync(call, [SystemPrompts.VoicemailEnterPin], new DigitCollection(1, 12, '#', TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(4)), ct);
            var box = voicemail.GetMailbox(id);
            // The same answer for an unknown box and a wrong PIN: no probing for which boxes exist.
            if (box is not null && box.VerifyPin(pin)) return box;
            logger.LogInformation("call {CallId} from {Caller}: voicemail login to {Mailbox} failed", call.CallId, call.Caller, id);
            await prompts.PlayAsync(call, [SystemPrompts.VoicemailLoginIncorrect], false, ct);
        }
        return null;
    }

    /// <summary>Plays one message and its menu; false when the caller chose to finish.</summary>
    private async Task<bool> MessageAsync(ICallChannel call, Mailbox box, VoicemailMessage message, CancellationToken ct)
    {
        var listen = true;
        for (var silent = 0; silent < 3;)
        {
            if (listen)
            {
                await prompts.PlayAsync(call, [SystemPrompts.VoicemailMessageFrom, .. SystemPrompts.Digits(message.Caller)], true, ct);
                var file = voicemail.FilePath(message);
                if (File.Exists(file)) await CallPrompts.PlayFilesAsync(call, [file], interruptible: true, ct);
                voicemail.MarkRead(box.Id, message.Id);
                listen = false;
            }
            var key = await prompts.AskAsync(call, [SystemPrompts.VoicemailMessageMenu], OneKey, ct);
            switch (key)
            {
                case "1":
                    listen = true;
                    break;
                case "7":
                    voicemail.Delete(box.Id, message.Id);
                    await prompts.PlayAsync(call, [SystemPrompts.VoicemailDeleted], false, ct);
                    return true;
                case "9":
                    voicemail.Save(box.Id, message.Id);
                    await prompts.PlayAsync(call, [SystemPrompts.VoicemailSaved], false, ct);
                    return true;
                case "#":
                case "6":
                    return true;
                case "*":
                    return false;
                case "":
                    silent++;
                    break;
                default:
                    await prompts.PlayAsync(call, [SystemPrompts.InvalidEntry], false, ct);
                    break;
            }
        }
        return false;
    }
}
