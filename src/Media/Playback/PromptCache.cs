using System.Collections.Concurrent;
using Hotline.Media.Codecs;

namespace Hotline.Media.Playback;

/// <summary>
/// Prompts loaded from WAV files of any common format (8/16/24/32-bit PCM or IEEE float, 8–48 kHz,
/// mono, stereo or more channels), converted once to mono PCM16 at the rate a call needs and kept,
/// keyed by path and rate. Also keeps each prompt encoded into a codec, so a queue of a thousand
/// callers doesn't encode the same prompt a thousand times. Thread-safe; each file/rate is converted
/// once even when many calls ask at the same moment. A file changed on disk (time or length) is
/// reloaded on the next request.
/// </summary>
/// <remarks>
/// Loading reads the disk and runs a resampler: call it when a prompt is chosen (call control,
/// IVR), never from the per-frame media path.
/// </remarks>
public sealed class PromptCache
{
    private readonly ConcurrentDictionary<(string Path, int Rate), Lazy<Prompt>> _pcm = new();
    private readonly ConcurrentDictionary<(string Path, string Codec, int Rate, int Channels), Lazy<EncodedPrompt>> _encoded = new();
    private readonly Func<AudioCodecInfo, IAudioEncoder>? _encoderFactory;

    /// <param name="encoderFactory">Creates a fresh encoder for a codec (encoders keep state, so each encoding run gets its own).</param>
    public PromptCache(Func<AudioCodecInfo, IAudioEncoder>? encoderFactory = null) => _encoderFactory = encoderFactory;

    /// <summary>Conversions done so far (cache misses), for tests and metrics.</summary>
    public int Loads => _loads;

    /// <summary>Encodings done so far.</summary>
    public int Encodings => _encodings;

    private int _loads;
    private int _encodings;

    /// <summary>
    /// The prompt at <paramref name="path"/> as mono PCM16 at <paramref name="sampleRate"/>.
    /// Throws FileNotFoundException, or InvalidDataException naming the file when it isn't a readable WAV.
    /// </summary>
    public Prompt Get(string path, int sampleRate)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sampleRate, 48000);
        string full = Path.GetFullPath(path);
        var stamp = FileStamp.Of(full);
        var key = (full, sampleRate);
        while (true)
        {
            var lazy = _pcm.GetOrAdd(key, k => new Lazy<Prompt>(() => Load(k.Path, k.Rate)));
            Prompt prompt;
            try
            {
                prompt = lazy.Value;
            }
            catch
            {
                _pcm.TryRemove(new KeyValuePair<(string, int), Lazy<Prompt>>(key, lazy));
                throw;
            }
            if (prompt.Stamp == stamp)
                return prompt;
            // Stale: drop it (unless someone already replaced it) and load again.
            _pcm.TryRemove(new KeyValuePair<(string, int), Lazy<Prompt>>(key, lazy));
            stamp = FileStamp.Of(full);
        }
    }

    /// <summary>
    /// The prompt encoded with <paramref name="codec"/> in 20 ms frames, from PCM at the codec's
    /// <see cref="AudioCodecInfo.SampleRate"/>. Needs the encoder factory given at construction.
    /// </summary>
    public EncodedPrompt GetEncoded(string path, AudioCodecInfo codec)
    {
        if (_encoderFactory is null)
            throw new InvalidOperationException("This PromptCache was created without an encoder factory.");
        var pcm = Get(path, codec.SampleRate);
        var key = (pcm.Path, codec.Name.ToUpperInvariant(), codec.SampleRate, codec.Channels);
        while (true)
        {
            var lazy = _encoded.GetOrAdd(key, _ => new Lazy<EncodedPrompt>(() => Encode(pcm, codec)));
            EncodedPrompt encoded;
            try
            {
                encoded = lazy.Value;
            }
            catch
            {
                _encoded.TryRemove(new(key, lazy));
                throw;
            }
            if (ReferenceEquals(encoded.Source, pcm))
                return encoded;
            _encoded.TryRemove(new(key, lazy));
        }
    }

    /// <summary>Forgets every rate and encoding of <paramref name="path"/>.</summary>
    public void Invalidate(string path)
    {
        string full = Path.GetFullPath(path);
        foreach (var key in _pcm.Keys.Where(k => k.Path == full))
            _pcm.TryRemove(key, out _);
        foreach (var key in _encoded.Keys.Where(k => k.Path == full))
            _encoded.TryRemove(key, out _);
    }

    private Prompt Load(string path, int sampleRate)
    {
        Interlocked.Increment(ref _loads);
        var stamp = FileStamp.Of(path);
        try
        {
            var (samples, format) = WavConversion.ToMonoPcm16(path, sampleRate);
            return new Prompt(path, sampleRate, samples, stamp, format);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: not a WAV file this cache can convert ({e.Message})", e);
        }
    }

    private EncodedPrompt Encode(Prompt prompt, AudioCodecInfo codec)
    {
        Interlocked.Increment(ref _encodings);
        const int frameMilliseconds = 20;
        var encoder = _encoderFactory!(codec);
        int frame = codec.SamplesPerFrame(frameMilliseconds);
        int frames = (prompt.Length + frame - 1) / frame;
        var offsets = new int[frames + 1];
        var payloads = new MemoryStream();
        var pcm = new short[frame];
        // Larger than any 20 ms payload of the codecs we carry (L16 48 kHz stereo is 3,840 bytes).
        var payload = new byte[8192];
        for (int i = 0; i < frames; i++)
        {
            var source = prompt.Samples.Slice(i * frame, Math.Min(frame, prompt.Length - i * frame));
            source.CopyTo(pcm);
            pcm.AsSpan(source.Length).Clear();
            int n = encoder.Encode(pcm, payload);
            payloads.Write(payload, 0, n);
            offsets[i + 1] = (int)payloads.Length;
        }
        return new EncodedPrompt(prompt, codec, frameMilliseconds, payloads.ToArray(), offsets);
    }
}
