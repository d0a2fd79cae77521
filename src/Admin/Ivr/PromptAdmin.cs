using System.Globalization;
using Hotline.Admin.Audit;
using Hotline.Admin.Services;
using Hotline.Ivr;
using Hotline.Ivr.Prompts;

namespace Hotline.Admin.Ivr;

/// <summary>A prompt as the panel and the API show it: never a path on the server.</summary>
public sealed record PromptView(string Name, bool HasAudio, long Bytes, double Seconds, string? Code, string Description, string? Text, DateTimeOffset? Updated);

/// <summary>What the panel edits besides the audio: the phone code to re-record it by, a description, the words for the speech synthesiser.</summary>
public sealed record PromptMetaInput(string? Code, string? Description, string? Text);

/// <summary>How prompts are recorded by phone: dial the feature code, then the prompt's code (and the PIN when one is set).</summary>
public sealed record PromptRecording(string FeatureCode, IReadOnlyList<string> Recorders, bool PinRequired);

/// <summary>
/// Prompts through the panel and the API: list, upload a WAV (checked before it replaces the old one), play,
/// describe, delete. Audited. Prompts can also be recorded by phone (<see cref="Recording"/>).
/// </summary>
public sealed class PromptAdmin(IvrServices ivr, AuditLog audit)
{
    private PromptLibrary Library => ivr.Prompts;

    public PromptRecording Recording => new(ivr.Options.PromptRecordCode, ivr.Options.PromptRecorders, ivr.Options.PromptPin is { Length: > 0 });

    public IReadOnlyList<PromptView> List()
    {
        var meta = Library.Metadata().ToDictionary(m => m.Name, StringComparer.Ordinal);
        return Library.List().Select(p => View(p, meta.GetValueOrDefault(p.Name))).ToList();
    }

    public PromptView? Get(string name) =>
        Library.Get(name) is { } p ? View(p, Library.Metadata().FirstOrDefault(m => m.Name == name)) : null;

    /// <summary>The WAV to play for <paramref name="name"/>, or null.</summary>
    public string? AudioPath(string name) => Library.Resolve(name);

    public Outcome<PromptView> Upload(string name, Stream wav, Actor actor)
    {
        if (!IsName(name)) return Outcome<PromptView>.Invalid("name", $"'{name}' is not a prompt name (letters, digits, _ -, folders with /; at most 200 characters)");
        var before = Get(name);
        try
        {
            Library.Save(name, wav);
        }
        catch (IvrValidationException e)
        {
            return Outcome<PromptView>.Invalid(IvrProblems.Parse(e.Problems, "file"));
        }
        var after = Get(name)!;
        audit.Write(actor.Name, "prompt.upload", name, AuditLog.Diff(Audio(before), Audio(after)), actor.Address);
        return after;
    }

    public Outcome<PromptView> SaveMeta(string name, PromptMetaInput input, Actor actor)
    {
        var before = Library.Metadata().FirstOrDefault(m => m.Name == name);
        var meta = new PromptMeta
        {
            Name = name, Code = string.IsNullOrWhiteSpace(input.Code) ? null : input.Code.Trim(), Description = input.Description?.Trim() ?? "",
            Text = string.IsNullOrWhiteSpace(input.Text) ? null : input.Text.Trim(), Voice = before?.Voice,
        };
        try
        {
            Library.SaveMeta(meta);
        }
        catch (IvrValidationException e)
        {
            return Outcome<PromptView>.Invalid(IvrProblems.Parse(e.Problems, "name"));
        }
        audit.Write(actor.Name, "prompt.meta", name, AuditLog.Diff(Meta(before), Meta(meta)), actor.Address);
        return Get(name)!;
    }

    public Outcome<PromptView> Delete(string name, Actor actor)
    {
        if (Get(name) is not { } existing || (!existing.HasAudio && Library.Metadata().All(m => m.Name != name))) return Outcome<PromptView>.NotFound();
        if (!Library.Delete(name)) return Outcome<PromptView>.Invalid("name", $"'{name}' is a shipped prompt: upload a replacement instead");
        audit.Write(actor.Name, "prompt.delete", name, AuditLog.Diff(Audio(existing), new Dictionary<string, string?>()), actor.Address);
        return existing;
    }

    /// <summary>Whether <paramref name="name"/> is a prompt name (the library answers null for names that are not).</summary>
    public bool IsName(string name) => Library.Get(name) is not null;

    private static PromptView View(PromptInfo p, PromptMeta? meta) =>
        new(p.Name, p.Path is not null, p.Bytes, Math.Round(p.Duration.TotalSeconds, 2), p.Code, p.Description, meta?.Text, p.Updated);

    private static Dictionary<string, string?> Audio(PromptView? p) => p is null || !p.HasAudio ? new() : new()
    {
        ["Bytes"] = p.Bytes.ToString(CultureInfo.InvariantCulture), ["Seconds"] = p.Seconds.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static Dictionary<string, string?> Meta(PromptMeta? m) => m is null ? new() : new()
    {
        ["Code"] = m.Code, ["Description"] = m.Description, ["Text"] = m.Text,
    };
}
