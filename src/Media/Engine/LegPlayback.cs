using Hotline.Media.Playback;

namespace Hotline.Media.Engine;

/// <summary>
/// What the engine plays into a leg on its own, in place of the bridged audio while active: a tone
/// cadence (ringback, busy...), a prompt played once, or the shared music-on-hold stream (every held
/// caller of a class hears the same frame at the same tick). Runs at the leg's encoder rate; owned by the
/// leg's worker. Reading a frame allocates nothing.
/// </summary>
internal sealed class LegPlayback
{
    private enum Source { None, Tone, Prompt, Music }

    private readonly PromptPlayer[] _players = new PromptPlayer[3];
    private Source _source;
    private ToneGenerator? _tone;
    private PromptPlayer? _prompt;
    private MusicOnHoldStream? _music;
    private bool _completed;

    public bool IsActive => _source != Source.None;

    /// <summary>A prompt or tone finished by itself (not stopped).</summary>
    public bool TakeCompleted()
    {
        bool completed = _completed;
        _completed = false;
        return completed;
    }

    public void PlayTone(ToneGenerator tone)
    {
        Stop();
        _tone = tone;
        _source = Source.Tone;
    }

    /// <summary>Plays <paramref name="prompt"/> once; false when it is not at the leg's current rate (the codec changed meanwhile).</summary>
    public bool PlayPrompt(Prompt prompt, int sampleRate)
    {
        Stop();
        if (prompt.SampleRate != sampleRate)
            return false;
        _prompt = PlayerFor(sampleRate);
        _prompt.Play(prompt);
        _source = Source.Prompt;
        return true;
    }

    public void PlayMusic(MusicOnHoldStream stream)
    {
        Stop();
        _music = stream;
        _source = Source.Music;
    }

    public void Stop()
    {
        _prompt?.Stop();
        _source = Source.None;
        _tone = null;
        _prompt = null;
        _music = null;
    }

    /// <summary>The sample rate of what plays now, or 0 when idle.</summary>
    public int SampleRate => _source switch
    {
        Source.Tone => _tone!.SampleRate,
        Source.Prompt => _prompt!.SampleRate,
        Source.Music => _music!.SampleRate,
        _ => 0,
    };

    /// <summary>Fills <paramref name="frame"/> for engine tick <paramref name="tick"/>; false when idle.</summary>
    public bool Read(Span<short> frame, long tick)
    {
        switch (_source)
        {
            case Source.Tone:
                _tone!.Read(frame);
                if (_tone.IsFinished)
                    Finish();
                return true;
            case Source.Prompt:
                if (_prompt!.Read(frame) != PlaybackStatus.Playing)
                    Finish();
                return true;
            case Source.Music:
                _music!.Read(tick, frame);
                return true;
            default:
                return false;
        }
    }

    private void Finish()
    {
        _source = Source.None;
        _tone = null;
        _prompt = null;
        _completed = true;
    }

    // One player per rate, reused: starting a prompt allocates nothing on the worker.
    private PromptPlayer PlayerFor(int sampleRate)
    {
        int index = sampleRate switch { 8000 => 0, 16000 => 1, _ => 2 };
        var player = _players[index];
        if (player is null || player.SampleRate != sampleRate)
            _players[index] = player = new PromptPlayer(sampleRate);
        return player;
    }
}
