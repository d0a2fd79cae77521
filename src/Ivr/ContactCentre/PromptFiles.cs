using Hotline.Ivr.Prompts;
using Hotline.Switch.Calls;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Plays the contact centre's prompts: names become files through the prompt library; a prompt with no
/// recording is skipped with a warning (a missing prompt must not drop a citizen's call). Without a library
/// (tests, tools) names are handed to the channel as they are.
/// </summary>
public sealed class PromptFiles(ContactCentrePrompts names, IPromptResolver? resolver, ILogger logger)
{
    public ContactCentrePrompts Names { get; } = names;

    public IReadOnlyList<string> Files(IEnumerable<string> names)
    {
        if (resolver is null) return names.ToList();
        var files = new List<string>();
        foreach (var name in names)
        {
            if (resolver.Resolve(name) is { } path) files.Add(path);
            else logger.LogWarning("prompt '{Prompt}' has no recording; skipped", name);
        }
        return files;
    }

    public async Task<PlayResult> PlayAsync(ICallChannel call, IEnumerable<string> names, bool interruptOnDtmf, CancellationToken ct)
    {
        var files = Files(names);
        if (files.Count == 0) return new PlayResult(true, null);
        return await call.PlayAsync(files, interruptOnDtmf, ct).ConfigureAwait(false);
    }
}
