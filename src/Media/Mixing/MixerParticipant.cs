namespace Hotline.Media.Mixing;

/// <summary>
/// One leg in an <see cref="AudioMixer"/>. The owning media worker sets its input each tick
/// (<see cref="SetInput"/> or <see cref="MarkAbsent"/>), calls <see cref="AudioMixer.Mix"/>, then
/// reads <see cref="Output"/>. Flags and audibility changes take effect at the next mix.
/// </summary>
public sealed class MixerParticipant
{
    private readonly short[] _input;
    private readonly short[] _gained;
    private readonly short[] _output;
    private int _gainQ12 = MixKernels.UnityGainQ12;
    private List<MixerParticipant>? _heardBy;

    internal MixerParticipant(AudioMixer mixer, int id, int samplesPerFrame)
    {
        Mixer = mixer;
        Id = id;
        _input = new short[samplesPerFrame];
        _gained = new short[samplesPerFrame];
        _output = new short[samplesPerFrame];
    }

    /// <summary>Number unique within its mixer for the mixer's lifetime.</summary>
    public int Id { get; }

    /// <summary>Whatever the caller wants to find the leg by (a channel, a user id).</summary>
    public object? Tag { get; set; }

    /// <summary>Heard by nobody (still hears others unless also deaf).</summary>
    public bool Muted { get; set; }

    /// <summary>
    /// Left out of the mix while silent when the mixer gates silence (<see cref="AudioMixer.GateSilence"/>); true
    /// by default. Clear it for sources that are played on purpose (a tone, a prompt, music), whose quiet
    /// passages must be heard as they are.
    /// </summary>
    public bool Gated { get; set; } = true;

    /// <summary>Hears nothing (output is silence); others still hear it.</summary>
    public bool Deaf { get; set; }

    /// <summary>Linear input gain in Q12 (4096 = unity), clamped to [0, 15.0].</summary>
    public int GainQ12
    {
        get => _gainQ12;
        set => _gainQ12 = Math.Clamp(value, 0, MixKernels.MaxGainQ12);
    }

    /// <summary>Input gain in dB (0 = unity, −∞ = silence, at most +23.5 dB).</summary>
    public double GainDb
    {
        get => _gainQ12 == 0 ? double.NegativeInfinity : 20 * Math.Log10(_gainQ12 / (double)MixKernels.UnityGainQ12);
        set => GainQ12 = double.IsNegativeInfinity(value)
            ? 0
            : (int)Math.Round(Math.Min(Math.Pow(10, value / 20), 15.0) * MixKernels.UnityGainQ12);
    }

    /// <summary>True while the talker detector considers this participant to be talking.</summary>
    public bool IsTalking => Talker.IsTalking;

    /// <summary>Smoothed input level in dBov (for level meters; computed on demand).</summary>
    public double LevelDbov => Talker.SmoothedEnergy <= 0 ? double.NegativeInfinity : 10 * Math.Log10(Talker.SmoothedEnergy);

    /// <summary>Set by <see cref="SetInput"/> and cleared by each mix: this tick's frame arrived.</summary>
    public bool HasInput { get; private set; }

    /// <summary>
    /// Heard <see cref="AudioMixer.CommonMix"/> in the last mix: not deaf, not in the mix itself (silent, muted,
    /// a listener or a whisperer) and hearing no whisperer, so <see cref="Output"/> is the same as everyone
    /// else's who hears it.
    /// </summary>
    public bool HearsCommonMix { get; internal set; }

    /// <summary>What this participant hears, as of the last mix.</summary>
    public ReadOnlySpan<short> Output => _output;

    /// <summary>True while an audibility restriction (whisper or listener) is in force.</summary>
    public bool IsRestricted => _heardBy is not null;

    /// <summary>Heard by no one but hears everyone: silent monitoring.</summary>
    public bool IsListener => _heardBy is { Count: 0 };

    /// <summary>The participants allowed to hear this one, or null when everyone may.</summary>
    public IReadOnlyList<MixerParticipant>? HeardOnlyBy => _heardBy;

    /// <summary>
    /// Copies this tick's frame. A frame of the wrong length is copied as far as it goes, padded
    /// with silence, counted in <see cref="AudioMixer.MalformedFrames"/>, and false is returned.
    /// </summary>
    public bool SetInput(ReadOnlySpan<short> frame)
    {
        HasInput = true;
        if (frame.Length == _input.Length)
        {
            frame.CopyTo(_input);
            return true;
        }

        int n = Math.Min(frame.Length, _input.Length);
        frame[..n].CopyTo(_input);
        _input.AsSpan(n).Clear();
        Mixer.CountMalformed();
        return false;
    }

    /// <summary>No frame this tick (lost packet, on hold): contributes nothing, still hears.</summary>
    public void MarkAbsent() => HasInput = false;

    /// <summary>Whisper: only <paramref name="audience"/> hears this participant (it still hears everyone).</summary>
    public void SetHeardOnlyBy(params ReadOnlySpan<MixerParticipant> audience)
    {
        var list = new List<MixerParticipant>(audience.Length);
        foreach (var p in audience)
        {
            if (p.Mixer != Mixer)
                throw new ArgumentException("Participant belongs to another mixer.", nameof(audience));
            if (p != this && !list.Contains(p))
                list.Add(p);
        }
        _heardBy = list;
        Mixer.AudienceChanged();
    }

    /// <summary>Silent listen: hears everyone, heard by no one.</summary>
    public void SetListener() => SetHeardOnlyBy();

    /// <summary>Back to a normal participant (barge-in): heard by everyone.</summary>
    public void ClearAudibilityRestriction()
    {
        _heardBy = null;
        Mixer.AudienceChanged();
    }

    internal AudioMixer Mixer { get; }
    internal int Index { get; set; } = -1;
    internal TalkerDetector Talker;
    internal bool TalkingChanged;

    /// <summary>Contributed to the shared total in the current mix.</summary>
    internal bool InTotal;

    /// <summary>Restricted participants this one may hear; rebuilt when audibility changes.</summary>
    internal readonly List<MixerParticipant> HearsRestricted = [];

    /// <summary>This tick's input after gain (the input itself at unity gain).</summary>
    internal ReadOnlySpan<short> Contribution => _gainQ12 == MixKernels.UnityGainQ12 ? _input : _gained;

    internal ReadOnlySpan<short> Input => _input;
    internal Span<short> GainedBuffer => _gained;
    internal Span<short> OutputBuffer => _output;
    internal void ConsumeInput() => HasInput = false;
    internal List<MixerParticipant>? Audience => _heardBy;
}
