namespace Hotline.Media.Mixing;

/// <summary>
/// N-party mixer at one sample rate, one frame per tick (conference rooms, supervisor
/// whisper/listen/barge). Not thread-safe: owned by one media worker, which adds and removes
/// participants between ticks.
/// </summary>
/// <remarks>
/// Each tick every participant hears the saturated sum of everyone it may hear except itself.
/// Unrestricted, unmuted inputs are summed once into an int32 total, and each output is
/// total − own, so the common case costs O(N) per frame rather than O(N²). A restricted
/// participant (whisperer or listener) is left out of the total and added only to its
/// audience's outputs: O(N + restricted × audience) per frame.
/// </remarks>
public sealed class AudioMixer
{
    private readonly bool _vectorised;
    private readonly int[] _total;
    private readonly int[] _scratch;
    private readonly short[] _common;
    private readonly TalkerThresholds _thresholds;
    private MixerParticipant[] _participants = new MixerParticipant[8];
    private MixerParticipant[] _changed = new MixerParticipant[4];
    private int _count;
    private int _restrictedCount;
    private int _nextId;
    private bool _audienceDirty;

    /// <summary>Creates a mixer for frames of <paramref name="frameMilliseconds"/> at <paramref name="sampleRate"/>.</summary>
    public AudioMixer(int sampleRate, int frameMilliseconds = 20, TalkerDetectorOptions? talkerOptions = null)
        : this(sampleRate, SamplesFor(sampleRate, frameMilliseconds), frameMilliseconds, talkerOptions, vectorised: true)
    {
    }

    /// <summary>Any frame length, and a choice of kernels: the scalar ones are the reference in tests and benchmarks.</summary>
    internal AudioMixer(int sampleRate, int samplesPerFrame, int frameMilliseconds, TalkerDetectorOptions? talkerOptions, bool vectorised)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerFrame, 1);
        SampleRate = sampleRate;
        SamplesPerFrame = samplesPerFrame;
        _vectorised = vectorised;
        _total = new int[samplesPerFrame];
        _scratch = new int[samplesPerFrame];
        _common = new short[samplesPerFrame];
        _thresholds = new TalkerThresholds(talkerOptions ?? TalkerDetectorOptions.Default, frameMilliseconds);
    }

    public int SampleRate { get; }
    public int SamplesPerFrame { get; }

    /// <summary>Participants currently in the mix.</summary>
    public int Count => _count;

    /// <summary>The participants, in no particular order (removal moves the last one into the gap).</summary>
    public ReadOnlySpan<MixerParticipant> Participants => _participants.AsSpan(0, _count);

    /// <summary>
    /// Leave out of the mix, for the frame, an unrestricted participant that is not talking and whose frame is
    /// below the talker detector's stop level (background noise of a line nobody speaks on). Speech is never
    /// cut: a frame at or above the stop level counts at once, before the detector's attack has passed, and
    /// a talker stays in through its hangover. With most of a room silent, most members then hear exactly
    /// the same thing, <see cref="CommonMix"/>, which can be encoded once for all of them. Off by default.
    /// </summary>
    public bool GateSilence { get; set; }

    /// <summary>
    /// The sum of everyone in the mix, saturated: what every participant with
    /// <see cref="MixerParticipant.HearsCommonMix"/> hears, as of the last mix.
    /// </summary>
    public ReadOnlySpan<short> CommonMix => _common;

    /// <summary>Frames handed to <see cref="MixerParticipant.SetInput"/> with the wrong length.</summary>
    public long MalformedFrames { get; private set; }

    /// <summary>
    /// Raised after a mix, on the mixing thread, for each participant whose talk state changed
    /// (true = started talking). Handlers may add or remove participants.
    /// </summary>
    public event Action<MixerParticipant, bool>? TalkingChanged;

    /// <summary>Adds a participant (allocates its frame buffers; call between ticks).</summary>
    public MixerParticipant Add(object? tag = null)
    {
        if (_count == _participants.Length)
            Array.Resize(ref _participants, _count * 2);
        var p = new MixerParticipant(this, _nextId++, SamplesPerFrame) { Tag = tag, Index = _count };
        _participants[_count++] = p;
        _audienceDirty = true;
        return p;
    }

    /// <summary>Removes a participant; false if it isn't in this mixer.</summary>
    public bool Remove(MixerParticipant participant)
    {
        int i = participant.Index;
        if (participant.Mixer != this || i < 0 || i >= _count || _participants[i] != participant)
            return false;
        var last = _participants[--_count];
        _participants[i] = last;
        last.Index = i;
        _participants[_count] = null!;
        participant.Index = -1;
        _audienceDirty = true;
        return true;
    }

    /// <summary>
    /// Mixes the inputs set since the last tick into every participant's <see cref="MixerParticipant.Output"/>,
    /// updates talker detection, then clears the inputs for the next tick. Allocates nothing.
    /// </summary>
    public void Mix()
    {
        if (_audienceDirty)
            RebuildAudience();

        var participants = _participants.AsSpan(0, _count);
        Span<int> total = _total;
        total.Clear();
        float energyScale = 1f / (32768f * 32768f * SamplesPerFrame);
        bool anyTalkChange = false;

        foreach (var p in participants)
        {
            p.InTotal = false;
            float meanSquare = 0;
            if (p.HasInput)
            {
                if (p.GainQ12 != MixKernels.UnityGainQ12)
                    MixKernels.ApplyGain(p.Input, p.GainedBuffer, p.GainQ12, _vectorised);
                var contribution = p.Contribution;
                meanSquare = MixKernels.SumOfSquares(contribution, _vectorised) * energyScale;
            }
            p.TalkingChanged = p.Talker.Update(meanSquare, _thresholds);
            anyTalkChange |= p.TalkingChanged;
            if (p.HasInput && !p.Muted && !p.IsRestricted
                && (!GateSilence || !p.Gated || p.Talker.IsTalking || meanSquare >= _thresholds.Stop))
            {
                MixKernels.Accumulate(total, p.Contribution, _vectorised);
                p.InTotal = true;
            }
        }

        MixKernels.Saturate(total, _common, _vectorised);
        foreach (var p in participants)
        {
            MixOutput(p, total);
            p.ConsumeInput();
        }

        if (anyTalkChange)
            RaiseTalkingChanged();
    }

    private void MixOutput(MixerParticipant p, ReadOnlySpan<int> total)
    {
        var output = p.OutputBuffer;
        p.HearsCommonMix = false;
        if (p.Deaf)
        {
            output.Clear();
            return;
        }

        var hears = p.HearsRestricted;
        if (hears.Count == 0)
        {
            if (p.InTotal)
            {
                MixKernels.SubtractSaturate(total, p.Contribution, output, _vectorised);
            }
            else
            {
                _common.CopyTo(output);
                p.HearsCommonMix = true;
            }
            return;
        }

        Span<int> scratch = _scratch;
        total.CopyTo(scratch);
        if (p.InTotal)
            MixKernels.Subtract(scratch, p.Contribution, _vectorised);
        foreach (var whisperer in hears)
        {
            if (whisperer.HasInput && !whisperer.Muted)
                MixKernels.Accumulate(scratch, whisperer.Contribution, _vectorised);
        }
        MixKernels.Saturate(scratch, output, _vectorised);
    }

    private void RaiseTalkingChanged()
    {
        // Copy out first: a handler may add or remove participants, reordering the array.
        var handler = TalkingChanged;
        int changed = 0;
        for (int i = 0; i < _count; i++)
        {
            var p = _participants[i];
            if (!p.TalkingChanged)
                continue;
            p.TalkingChanged = false;
            if (changed == _changed.Length)
                Array.Resize(ref _changed, changed * 2);
            _changed[changed++] = p;
        }
        for (int i = 0; i < changed; i++)
        {
            var p = _changed[i];
            _changed[i] = null!;
            handler?.Invoke(p, p.IsTalking);
        }
    }

    /// <summary>Recomputes, for each participant, the restricted talkers it may hear. Runs only after a change.</summary>
    private void RebuildAudience()
    {
        _audienceDirty = false;
        var participants = _participants.AsSpan(0, _count);
        foreach (var p in participants)
            p.HearsRestricted.Clear();
        _restrictedCount = 0;
        foreach (var talker in participants)
        {
            var audience = talker.Audience;
            if (audience is null)
                continue;
            _restrictedCount++;
            foreach (var listener in audience)
            {
                if (listener.Index >= 0 && listener.Index < _count && _participants[listener.Index] == listener)
                    listener.HearsRestricted.Add(talker);
            }
        }
    }

    /// <summary>Participants under an audibility restriction, as of the last mix.</summary>
    public int RestrictedCount => _restrictedCount;

    internal void AudienceChanged() => _audienceDirty = true;
    internal void CountMalformed() => MalformedFrames++;

    private static int SamplesFor(int sampleRate, int frameMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 8000);
        ArgumentOutOfRangeException.ThrowIfLessThan(frameMilliseconds, 1);
        return sampleRate * frameMilliseconds / 1000;
    }
}
