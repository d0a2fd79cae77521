using Hotline.Ivr.Prompts;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Calls;

/// <summary>
/// Playing named prompts into a call: names become files through the prompt library; a prompt with no
/// recording is skipped with a warning (a missing prompt must not drop a citizen's call); the call is
/// answered first if it hasn't been.
/// </summary>
public sealed class CallPrompts(IPromptResolver prompts, ILogger logger)
{
    public IPromptResolver Resolver => prompts;

    public IReadOnlyList<string> Files(IEnumerable<string> names)
    {
        var files = new List<string>();
        foreach (var name in names)
        {
            if (prompts.Resolve(name) is { } path) files.Add(path);
            else logger.LogWarning("prompt '{Prompt}' has no recording; skipped", name);
        }
        return files;
    }

    public async Task<PlayResult> PlayAsync(ICallChannel call, IEnumerable<string> names, bool interruptible, CancellationToken ct)
    {
        var files = Files(names);
        if (files.Count == 0) return new PlayResult(true, null);
        await EnsureAnsweredAsync(call, ct);
        return await call.PlayAsync(files, interruptible, ct);
    }

    /// <summary>Plays files that are not library prompts (a voicemail message, a recording to review).</summary>
    public static async Task<PlayResult> PlayFilesAsync(ICallChannel call, IReadOnlyList<string> files, bool interruptible, CancellationToken ct)
    {
        await EnsureAnsweredAsync(call, ct);
        return await call.PlayAsync(files, interruptible, ct);
    }

    public static async Task EnsureAnsweredAsync(ICallChannel call, CancellationToken ct)
    {
        if (!call.Answered) await call.AnswerAsync(ct);
    }

    /// <summary>Plays prompts (interruptible) and collects digits; typed-ahead keys count.</summary>
    public async Task<string> AskAsync(ICallChannel call, IEnumerable<string> names, DigitCollection rules, CancellationToken ct)
    {
        await PlayAsync(call, names, interruptible: true, ct);
        return await call.CollectDigitsAsync(rules, ct);
    }
}
