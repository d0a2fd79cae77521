namespace Hotline.Media.Playback;

/// <summary>
/// One music-on-hold class at one rate: a radio, not a player. Ticks are the media clock's
/// 20 ms frame numbers (e.g. elapsed time / 20 ms); the first worker to ask for a tick produces
/// its frame and every other caller asking for the same tick gets the same samples. Safe to call
/// from several media workers; allocates nothing per frame.
/// </summary>
public sealed class MusicOnHoldStream
{
    /// <summary>Frames kept, so a worker running a tick or two behind another still gets its own tick's frame.</summary>
    private const int Window = 4;

    private readonly Lock _gate = new();
    private readonly short[][] _frames;
    private readonly long[] _frameTicks = new long[Window];
    private readonly ToneGenerator _fallback;
    private Prompt[] _playlist;
    private long _loopSamples;
    private volatile Prompt[]? _nextPlaylist;
    private int _file;
    private int _position;
    private long _lastTick = long.MinValue;

    internal MusicOnHoldStream(MusicOnHold owner, int sampleRate, Prompt[] playlist)
    {
        Class = owner;
        SampleRate = sampleRate;
        SamplesPerFrame = sampleRate / 50;
        _frames = Enumerable.Range(0, Window).Select(_ => new short[SamplesPerFrame]).ToArray();
        Array.Fill(_frameTicks, long.MinValue);
        _playlist = playlist;
        _loopSamples = LoopLength(playlist);
        _fallback = new ToneGenerator(owner.FallbackTone, sampleRate);
    }

    public MusicOnHold Class { get; }
    public int SampleRate { get; }
    public int SamplesPerFrame { get; }

    /// <summary>Frames actually produced (one per tick however many callers listen).</summary>
    public long FramesProduced { get; private set; }

    /// <summary>Times the playlist wrapped back to its first file.</summary>
    public long Loops { get; private set; }

    /// <summary>True while the folder has no playable file and the fallback tone plays.</summary>
    public bool IsFallback => _playlist.Length == 0;

    /// <summary>
    /// The frame for <paramref name="tick"/>, the same for every caller. Valid until the stream
    /// has moved <c>Window</c> (4) ticks on; copy it if you keep it longer. A tick older than that
    /// gets the newest frame instead.
    /// </summary>
    public ReadOnlySpan<short> GetFrame(long tick)
    {
        int slot = (int)(tick & (Window - 1));
        if (Volatile.Read(ref _frameTicks[slot]) == tick)
            return _frames[slot];
        lock (_gate)
        {
            if (tick > _lastTick)
                AdvanceTo(tick);
            slot = (int)(tick & (Window - 1));
            if (_frameTicks[slot] != tick)
                slot = (int)(_lastTick & (Window - 1));
            return _frames[slot];
        }
    }

    /// <summary>Copies the frame for <paramref name="tick"/> into <paramref name="destination"/>.</summary>
    public void Read(long tick, Span<short> destination) => GetFrame(tick).CopyTo(destination);

    internal void SetNextPlaylist(Prompt[] playlist) => _nextPlaylist = playlist;

    private void AdvanceTo(long tick)
    {
        // After a gap (nobody listening) the stream skips ahead as a radio would; only the frames
        // that can still be asked for are produced.
        long first = _lastTick == long.MinValue ? tick : _lastTick + 1;
        if (tick - first >= Window)
        {
            Skip((tick - Window + 1 - first) * SamplesPerFrame);
            first = tick - Window + 1;
        }
        for (long t = first; t <= tick; t++)
        {
            int slot = (int)(t & (Window - 1));
            Volatile.Write(ref _frameTicks[slot], long.MinValue);   // being rewritten
            Produce(_frames[slot]);
            Volatile.Write(ref _frameTicks[slot], t);
            FramesProduced++;
        }
        _lastTick = tick;
    }

    private void Produce(Span<short> frame)
    {
        if (_playlist.Length == 0)
        {
            if (_nextPlaylist is { Length: > 0 } next)
                Switch(next);
            else
            {
                _fallback.Read(frame);
                return;
            }
        }
        int written = 0;
        while (written < frame.Length)
        {
            var samples = _playlist[_file].Samples;
            int n = Math.Min(frame.Length - written, samples.Length - _position);
            samples.Slice(_position, n).CopyTo(frame[written..]);
            written += n;
            _position += n;
            if (_position == samples.Length)
                NextFile();
            if (_playlist.Length == 0)
            {
                frame[written..].Clear();
                return;
            }
        }
    }

    private void Skip(long samples)
    {
        if (_playlist.Length == 0)
            return;
        samples %= _loopSamples;
        while (samples > 0 && _playlist.Length > 0)
        {
            int n = (int)Math.Min(samples, _playlist[_file].Length - _position);
            _position += n;
            samples -= n;
            if (_position == _playlist[_file].Length)
                NextFile();
        }
    }

    private void NextFile()
    {
        _position = 0;
        if (++_file < _playlist.Length)
            return;
        _file = 0;
        Loops++;
        if (_nextPlaylist is { } next)
            Switch(next);
    }

    private static long LoopLength(Prompt[] playlist)
    {
        long total = 0;
        foreach (var p in playlist)
            total += p.Length;
        return total;
    }

    private void Switch(Prompt[] playlist)
    {
        _playlist = playlist;
        _loopSamples = LoopLength(playlist);
        _nextPlaylist = null;
        _file = 0;
        _position = 0;
    }
}
