using Hotline.Ivr.Calls;
using Hotline.Ivr.Prompts;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Destinations;

/// <summary>
/// Records a prompt by phone (e.g. *78): only from the extensions allowed to, after the prompt PIN; the prompt is
/// chosen by its code (dialled after the feature code, *78 12, or keyed in), recorded after a beep, played back,
/// and kept (1), recorded again (2) or heard again (3). The new recording replaces the prompt from the next call on.
/// </summary>
public sealed class PromptRecordingFeature(PromptLibrary library, CallPrompts prompts, string code, IReadOnlyCollection<string> recorders, string? pin, ILogger logger)
    : ICallDestination
{
    private static readonly DigitCollection Code = new(1, 6, '#', TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(4));
    private static readonly DigitCollection OneKey = new(1, 1, null, TimeSpan.FromSeconds(6));

    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        var ct = call.Ended;
        if (call.CallerExtension is not { } extension || !recorders.Contains(extension))
        {
            logger.LogWarning("call {CallId}: {Caller} may not record prompts", call.CallId, call.Caller);
            await call.HangupAsync(403);
            return;
        }
        await CallPrompts.EnsureAnsweredAsync(call, ct);
        if (pin is not null)
        {
            var given = await prompts.AskAsync(call, [SystemPrompts.VoicemailEnterPin], new DigitCollection(1, 12, '#', TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(4)), ct);
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(given), System.Text.Encoding.UTF8.GetBytes(pin)))
            {
                await prompts.PlayAsync(call, [SystemPrompts.VoicemailLoginIncorrect, SystemPrompts.Goodbye], false, ct);
                await call.HangupAsync();
                return;
            }
        }
        var promptCode = target.Value.Length > code.Length ? target.Value[code.Length..] : await prompts.AskAsync(call, [SystemPrompts.PromptEnterCode], Code, ct);
        if (library.FindByCode(promptCode) is not { } meta)
        {
            await prompts.PlayAsync(call, [SystemPrompts.InvalidEntry, SystemPrompts.Goodbye], false, ct);
            await call.HangupAsync();
            return;
        }
        var path = library.TemporaryRecordingPath();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await prompts.PlayAsync(call, [SystemPrompts.PromptRecordAfterTone], false, ct);
            await call.RecordAsync(path, new RecordOptions(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(4), Beep: true, StopDigit: '#'), ct);
            while (true)
            {
                await CallPrompts.PlayFilesAsync(call, [path], interruptible: true, ct);
                var key = await prompts.AskAsync(call, [SystemPrompts.PromptReviewMenu], OneKey, ct);
                if (key == "1")
                {
                    library.Adopt(meta.Name, path);
                    logger.LogInformation("prompt {Prompt} re-recorded by phone from {Extension}", meta.Name, extension);
                    await prompts.PlayAsync(call, [SystemPrompts.PromptSaved, SystemPrompts.Goodbye], false, ct);
                    await call.HangupAsync();
                    return;
                }
                if (key == "2") break;
                if (key != "3") break;
            }
        }
        if (File.Exists(path)) File.Delete(path);
        await call.HangupAsync();
    }
}
