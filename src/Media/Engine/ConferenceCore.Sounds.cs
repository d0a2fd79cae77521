using Hotline.Media.Mixing;
using Hotline.Media.Playback;
using Hotline.Media.Recording;

namespace Hotline.Media.Engine;

// What the room plays to everyone (a tone, a prompt) and its mixed recording. The sounds are mixer
// participants of their own that every member hears and that hear nothing; the recording is a listener
// that is never heard, so it gets exactly what a silent monitor would.
internal sealed partial class ConferenceCore
{
    private MixerParticipant? _toneSource;
    private ToneGenerator? _tone;
    private MixerParticipant? _promptSource;
    private PromptPlayer? _promptPlayer;
    private ConferencePrompt? _prompt;
    private MixerParticipant? _recordTap;
    private WavRecorder? _recorder;

    private bool Playing => _tone is not null || _prompt is not null;

    /// <summary>A prompt playing now.</summary>
    public bool PlayingPrompt => _prompt is not null;

    /// <summary>Worker thread: plays <paramref name="tone"/> (at the room's rate) to every member, replacing any tone playing.</summary>
    public void PlayTone(ToneGenerator tone)
    {
        if (Closed)
            return;
        _toneSource ??= AddSource();
        _tone = tone;
    }

    public void StopTone() => _tone = null;

    /// <summary>
    /// Worker thread: plays the prompt (loaded at the room's rate) to every member; it completes true when
    /// played to the end, false when stopped or replaced by another.
    /// </summary>
    public void PlayPrompt(ConferencePrompt prompt)
    {
        if (Closed)
        {
            prompt.Complete(false);
            return;
        }
        StopPrompt(null);
        _promptSource ??= AddSource();
        _promptPlayer ??= new PromptPlayer(SampleRate);
        _promptPlayer.Play(prompt.Prompt);
        _prompt = prompt;
    }

    /// <summary>Worker thread: stops <paramref name="which"/> if it still plays (null: whatever plays).</summary>
    public void StopPrompt(ConferencePrompt? which)
    {
        var playing = _prompt;
        if (playing is null || (which is not null && which != playing))
            return;
        _promptPlayer!.Stop();
        _prompt = null;
        playing.Complete(false);
    }

    /// <summary>Worker thread: writes the mixed room to <paramref name="recorder"/> (mono, at the room's rate) every tick from now.</summary>
    public bool StartRecording(WavRecorder recorder)
    {
        if (Closed || _recorder is not null)
            return false;
        if (_recordTap is null)
        {
            _recordTap = _mixer.Add(this);
            _recordTap.SetListener();
        }
        _recorder = recorder;
        return true;
    }

    /// <summary>Worker thread: stops writing; returns the recorder to be finalised (null when not recording).</summary>
    public WavRecorder? StopRecording()
    {
        var recorder = _recorder;
        _recorder = null;
        if (_recordTap is not null)
        {
            _mixer.Remove(_recordTap);
            _recordTap = null;
        }
        return recorder;
    }

    private void ReadSources()
    {
        if (_tone is not null)
        {
            _tone.Read(_sourceFrame);
            _toneSource!.SetInput(_sourceFrame);
            if (_tone.IsFinished)
                _tone = null;
        }
        if (_prompt is not null)
        {
            var status = _promptPlayer!.Read(_sourceFrame);
            _promptSource!.SetInput(_sourceFrame);
            if (status != PlaybackStatus.Playing)
            {
                var played = _prompt;
                _prompt = null;
                played.Complete(true);
            }
        }
    }

    // Heard by everyone, hears nothing (its output is never computed).
    private MixerParticipant AddSource()
    {
        var source = _mixer.Add(this);
        source.Deaf = true;
        // A prompt's or a tone's quiet passages are part of it: never gated out as a silent line would be.
        source.Gated = false;
        return source;
    }
}

/// <summary>A prompt played to a room, and whether it played to the end.</summary>
internal sealed class ConferencePrompt(Prompt prompt)
{
    private readonly TaskCompletionSource<bool> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Prompt Prompt { get; } = prompt;

    /// <summary>True when played to the end; false when stopped, replaced, or the room closed.</summary>
    public Task<bool> Done => _done.Task;

    public void Complete(bool played) => _done.TrySetResult(played);
}
