using System.Collections.Concurrent;

namespace Hotline.Media.Playback;

/// <summary>
/// A music-on-hold class: a folder of WAV files played in name order, in a loop, as one shared
/// stream per sample rate (FreeSWITCH local_stream style). Every caller held in the class hears the
/// same frame at the same tick, so a thousand held callers cost one stream, not a thousand players.
/// Falls back to a tone when the folder has no playable file.
/// </summary>
public sealed class MusicOnHold
{
    private readonly PromptCache _cache;
    private readonly ConcurrentDictionary<int, MusicOnHoldStream> _streams = new();
    private volatile string[] _files = [];
    private volatile IReadOnlyList<string> _problems = [];

    /// <param name="name">Class name, e.g. "default".</param>
    /// <param name="folder">Folder of WAV files (any rate/format <see cref="PromptCache"/> converts).</param>
    /// <param name="cache">Where the files are converted (once per rate) and kept.</param>
    /// <param name="fallbackTone">Played when the folder is empty; default a soft 450 Hz beep every 5 s.</param>
    public MusicOnHold(string name, string folder, PromptCache cache, ToneSpec? fallbackTone = null)
    {
        Name = name;
        Folder = Path.GetFullPath(folder);
        _cache = cache;
        FallbackTone = fallbackTone ?? ToneSpec.Parse("450/300,0/4700");
        Rescan();
    }

    public string Name { get; }
    public string Folder { get; }
    public ToneSpec FallbackTone { get; }

    /// <summary>The files in play order, as of the last <see cref="Reload"/>.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Files that were skipped and why (not WAV, unreadable), for the admin log.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>
    /// The shared stream at <paramref name="sampleRate"/>, created (and its files converted) on first
    /// use: call it when a caller is put on hold, not from the per-frame path.
    /// </summary>
    public MusicOnHoldStream GetStream(int sampleRate) =>
        _streams.GetOrAdd(sampleRate, rate => new MusicOnHoldStream(this, rate, LoadPlaylist(rate)));

    /// <summary>Rescans the folder; each stream switches to the new list when its current loop ends.</summary>
    public void Reload()
    {
        Rescan();
        foreach (var (rate, stream) in _streams)
            stream.SetNextPlaylist(LoadPlaylist(rate));
    }

    private void Rescan()
    {
        _files = Directory.Exists(Folder)
            ? Directory.EnumerateFiles(Folder, "*.wav", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
                .Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    private Prompt[] LoadPlaylist(int sampleRate)
    {
        var prompts = new List<Prompt>();
        var problems = new List<string>();
        foreach (var file in _files)
        {
            try
            {
                var prompt = _cache.Get(file, sampleRate);
                if (prompt.Length > 0)
                    prompts.Add(prompt);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                problems.Add($"{file}: {e.Message}");
            }
        }
        _problems = problems;
        return prompts.ToArray();
    }
}
