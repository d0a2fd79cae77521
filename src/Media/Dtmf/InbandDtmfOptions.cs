namespace Hotline.Media.Dtmf;

/// <summary>Acceptance limits of <see cref="InbandDtmfDetector"/>. Defaults follow common ITU-T Q.24 practice.</summary>
public sealed record InbandDtmfOptions
{
    /// <summary>Weakest tone accepted, per frequency, in dBm0.</summary>
    public double MinimumLevelDbm0 { get; init; } = -32;

    /// <summary>How much weaker the high-group tone may be than the low-group one (normal twist), in dB.</summary>
    public double NormalTwistDb { get; init; } = 8;

    /// <summary>How much stronger the high-group tone may be than the low-group one (reverse twist), in dB.</summary>
    public double ReverseTwistDb { get; init; } = 4;

    /// <summary>The strongest tone of a group must exceed the others of its group by this much, in dB.</summary>
    public double RelativePeakDb { get; init; } = 8;

    /// <summary>The column tone must exceed its own second harmonic by this much (speech is rich in harmonics), in dB.</summary>
    public double SecondHarmonicRejectionDb { get; init; } = 12;

    /// <summary>
    /// Share of the block's total energy that the two tones must hold. Rejects broadband speech and music,
    /// and also sets the shortest tone that can pass: a block the tone only partly covers scores about the
    /// covered fraction, so at 0.8 two blocks cannot both pass on a tone of 20 ms or less.
    /// </summary>
    public double MinimumToneEnergyRatio { get; init; } = 0.8;

    /// <summary>Shortest tone reported as a digit (Q.24 asks to accept 40 ms).</summary>
    public TimeSpan MinimumDuration { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>Pause needed before the next digit, so one key press with a dropout stays one digit.</summary>
    public TimeSpan MinimumGap { get; init; } = TimeSpan.FromMilliseconds(25);
}
