namespace Hotline.Media.Playback;

/// <summary>What <see cref="PromptPlayer.Read"/> did this frame.</summary>
public enum PlaybackStatus
{
    /// <summary>Nothing to play: the frame is silence.</summary>
    Idle,

    /// <summary>The frame holds prompt audio and more follows.</summary>
    Playing,

    /// <summary>The last prompt ended within this frame (the rest of it is silence).</summary>
    Completed,
}

/// <summary>
/// Plays one prompt or a list of prompts back to back, a frame at a time, for one call leg.
/// Not thread-safe: owned by the leg's media worker. Reading allocates nothing.
/// </summary>
public sealed class PromptPlayer(int sampleRate)
{
    private readonly List<Prompt> _playlist = [];
    private int _current;
    private int _position;

    public int SampleRate { get; } = sampleRate;

    public bool IsPlaying { get; private set; }

    /// <summary>Samples played since <see cref="Play(Prompt)"/>, over all prompts in the list.</summary>
    public long SamplesPlayed { get; private set; }

    /// <summary>The prompt being played, or null.</summary>
    public Prompt? Current => IsPlaying ? _playlist[_current] : null;

    /// <summary>Raised on the media thread when the last prompt has been played out (not on <see cref="Stop"/>).</summary>
    public event Action<PromptPlayer>? Completed;

    /// <summary>Starts <paramref name="prompt"/>, replacing whatever was playing.</summary>
    public void Play(Prompt prompt) => Play([prompt]);

    /// <summary>Starts the prompts in order, with no gap between them, replacing whatever was playing.</summary>
    public void Play(params ReadOnlySpan<Prompt> prompts)
    {
        foreach (var p in prompts)
        {
            if (p.SampleRate != SampleRate)
                throw new ArgumentException($"{p.Path} is cached at {p.SampleRate} Hz; this player runs at {SampleRate} Hz.", nameof(prompts));
        }
        _playlist.Clear();
        foreach (var p in prompts)
        {
            if (p.Length > 0)
                _playlist.Add(p);
        }
        _current = 0;
        _position = 0;
        SamplesPlayed = 0;
        IsPlaying = _playlist.Count > 0;
    }

    /// <summary>Stops at once; the next frames are silence. Does not raise <see cref="Completed"/>.</summary>
    public void Stop()
    {
        IsPlaying = false;
        _playlist.Clear();
    }

    /// <summary>Fills <paramref name="frame"/> with the next samples, padding with silence once the prompts end.</summary>
    public PlaybackStatus Read(Span<short> frame)
    {
        if (!IsPlaying)
        {
            frame.Clear();
            return PlaybackStatus.Idle;
        }

        int written = 0;
        while (written < frame.Length && _current < _playlist.Count)
        {
            var samples = _playlist[_current].Samples;
            int n = Math.Min(frame.Length - written, samples.Length - _position);
            samples.Slice(_position, n).CopyTo(frame[written..]);
            written += n;
            _position += n;
            if (_position == samples.Length)
            {
                _current++;
                _position = 0;
            }
        }
        SamplesPlayed += written;
        if (_current < _playlist.Count)
            return PlaybackStatus.Playing;

        frame[written..].Clear();
        IsPlaying = false;
        Completed?.Invoke(this);
        return PlaybackStatus.Completed;
    }
}
