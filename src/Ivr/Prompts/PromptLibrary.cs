using Hotline.Ivr.Flows;
using Hotline.Ivr.Storage;
using Hotline.Switch.Store;

namespace Hotline.Ivr.Prompts;

/// <summary>A prompt as the panel lists it. <see cref="Code"/> is the number to key in when recording it by phone.</summary>
public sealed record PromptInfo(string Name, string? Path, long Bytes, TimeSpan Duration, string? Code, string Description, DateTimeOffset? Updated);

/// <summary>What the panel knows about a prompt besides its WAV: the phone code and what it should say.</summary>
public sealed record PromptMeta
{
    public required string Name { get; init; }
    /// <summary>Digits keyed in after the prompt-recording feature code to re-record this prompt by phone.</summary>
    public string? Code { get; init; }
    public string Description { get; init; } = "";
    /// <summary>The words, for generating a first version with a speech synthesiser.</summary>
    public string? Text { get; init; }
    public string? Voice { get; init; }
}

/// <summary>
/// The prompt library: every prompt is its own WAV, <c>data/prompts/&lt;name&gt;.wav</c> (a name may have
/// folders: "zh/welcome"). A prompt replaced by upload or recorded by phone is played from the next call
/// on (the media engine reloads a file whose time or length changed). Folders given as
/// <paramref name="fallbacks"/> (shipped or generated prompts) answer for names the data folder lacks.
/// </summary>
public sealed class PromptLibrary : IPromptResolver
{
    private readonly string _root;
    private readonly IReadOnlyList<string> _fallbacks;
    private readonly JsonCollection<PromptMeta> _meta;
    private readonly TimeProvider _time;

    public PromptLibrary(HotlineStore store, TimeProvider time, string folder = "prompts", IReadOnlyList<string>? fallbacks = null)
    {
        _root = Path.GetFullPath(Path.Combine(store.DataDirectory, folder));
        _fallbacks = fallbacks?.Select(Path.GetFullPath).ToList() ?? [];
        _meta = new JsonCollection<PromptMeta>(store, "ivr_prompts");
        _time = time;
    }

    public string Root => _root;

    /// <summary>The file to play for <paramref name="name"/>, or null when there is none.</summary>
    public string? Resolve(string name)
    {
        if (!FlowFields.PromptName().IsMatch(name)) return null;
        var own = PathOf(name);
        if (File.Exists(own)) return own;
        foreach (var folder in _fallbacks)
        {
            var candidate = Path.Combine(folder, name + ".wav");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public bool Exists(string name) => Resolve(name) is not null;

    /// <summary>Where <paramref name="name"/> is written in the data folder (uploads and recordings by phone go here).</summary>
    public string PathOf(string name)
    {
        if (!FlowFields.PromptName().IsMatch(name)) throw new ArgumentException($"'{name}' is not a prompt name", nameof(name));
        return Path.Combine(_root, name.Replace('/', Path.DirectorySeparatorChar) + ".wav");
    }

    public IReadOnlyList<PromptInfo> List()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in _fallbacks.Prepend(_root).Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.wav", SearchOption.AllDirectories))
                names.Add(Path.ChangeExtension(Path.GetRelativePath(folder, file), null).Replace(Path.DirectorySeparatorChar, '/'));
        }
        var meta = _meta.All().ToDictionary(m => m.Name, StringComparer.Ordinal);
        foreach (var m in meta.Keys) names.Add(m);
        return names.Where(n => FlowFields.PromptName().IsMatch(n)).Select(n => Info(n, meta.GetValueOrDefault(n))).ToList();
    }

    public PromptInfo? Get(string name) => FlowFields.PromptName().IsMatch(name) ? Info(name, _meta.Find(name)) : null;

    private PromptInfo Info(string name, PromptMeta? meta)
    {
        var path = Resolve(name);
        var info = path is null ? null : WavInfo.TryRead(path, out _);
        return new PromptInfo(name, path, path is null ? 0 : new FileInfo(path).Length, info?.Duration ?? TimeSpan.Zero,
            meta?.Code, meta?.Description ?? "", path is null ? null : new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero));
    }

    /// <summary>
    /// Replaces (or adds) a prompt from an uploaded WAV. The file is checked first and written beside the
    /// old one, then moved over it, so a call never plays half a file.
    /// </summary>
    public PromptInfo Save(string name, Stream wav)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".upload-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = File.Create(temp)) wav.CopyTo(file);
            var info = WavInfo.TryRead(temp, out var error) ?? throw new IvrValidationException([$"file: {error}"]);
            if (info.DataBytes == 0) throw new IvrValidationException(["file: the WAV has no audio"]);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return Get(name)!;
    }

    /// <summary>Takes over a WAV recorded elsewhere (a recording by phone) as the prompt.</summary>
    public void Adopt(string name, string recordedPath)
    {
        var path = PathOf(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(recordedPath, path, overwrite: true);
    }

    public bool Delete(string name)
    {
        var path = PathOf(name);
        var existed = File.Exists(path);
        if (existed) File.Delete(path);
        return _meta.Delete(name) || existed;
    }

    public IReadOnlyList<PromptMeta> Metadata() => _meta.All();

    public PromptMeta? FindByCode(string code) => _meta.All().FirstOrDefault(m => m.Code == code);

    public void SaveMeta(PromptMeta meta)
    {
        var problems = new List<string>();
        if (!FlowFields.PromptName().IsMatch(meta.Name)) problems.Add($"name '{meta.Name}' is not a prompt name (letters, digits, _ -, folders with /; at most 200 characters)");
        if (meta.Code is { } code && (code.Length is 0 or > 6 || !code.All(char.IsAsciiDigit))) problems.Add($"code '{code}' must be 1 to 6 digits");
        if (meta.Code is not null && _meta.All().FirstOrDefault(m => m.Code == meta.Code && m.Name != meta.Name) is { } other)
            problems.Add($"code {meta.Code} already belongs to prompt '{other.Name}'");
        IvrValidationException.ThrowIfAny(problems);
        _meta.Save(meta.Name, meta);
    }

    /// <summary>A fresh path under the data folder for a recording that may become a prompt.</summary>
    public string TemporaryRecordingPath() =>
        Path.Combine(_root, ".recordings", $"{_time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid():N}.wav");
}

/// <summary>Turns prompt names into files to play.</summary>
public interface IPromptResolver
{
    string? Resolve(string name);
}
