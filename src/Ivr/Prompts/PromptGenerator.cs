using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Prompts;

/// <summary>
/// Speaks missing prompts with espeak-ng at start-up, so a fresh installation (the demo) has every prompt
/// without shipping audio in the repository. A prompt someone uploaded or recorded is never overwritten.
/// espeak-ng writes 22.05 kHz WAV; the media engine converts any rate when it loads a prompt.
/// Mandarin uses the cmn-latn-pinyin voice: plain "cmn" reads many hanzi as pinyin with English tone digits.
/// </summary>
public sealed class PromptGenerator(PromptLibrary library, ILogger logger, string tool = "espeak-ng")
{
    /// <summary>Generates every prompt in <paramref name="texts"/> that has no recording; returns how many were made.</summary>
    public async Task<int> GenerateMissingAsync(IEnumerable<(string Name, string Text, string? Voice)> texts, string defaultVoice, CancellationToken ct)
    {
        var made = 0;
        foreach (var (name, text, voice) in texts)
        {
            if (library.Exists(name) || string.IsNullOrWhiteSpace(text)) continue;
            var path = library.PathOf(name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in new[] { "-v", Voice(voice ?? defaultVoice), "-s", "150", "-w", path + ".tmp", text }) start.ArgumentList.Add(a);
            try
            {
                using var process = Process.Start(start)!;
                var error = process.StandardError.ReadToEndAsync(ct);
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0 || !File.Exists(path + ".tmp"))
                {
                    logger.LogWarning("{Tool} could not speak prompt {Prompt}: {Error}", tool, name, await error);
                    continue;
                }
                File.Move(path + ".tmp", path, overwrite: true);
                made++;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                logger.LogWarning("{Tool} is not installed: prompts without recordings stay silent until uploaded (apt-get install espeak-ng)", tool);
                return made;
            }
        }
        if (made > 0) logger.LogInformation("generated {Count} prompts with {Tool} in {Folder}", made, tool, library.Root);
        return made;
    }

    private static string Voice(string voice) => voice is "cmn" or "zh" ? "cmn-latn-pinyin" : voice;
}
