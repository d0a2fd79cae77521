namespace Hotline.Media.Mixing;

/// <summary>
/// How the mixer decides who is talking. Levels are in dBov (0 dBov = a full-scale square
/// wave; a full-scale sine is −3 dBov), measured on each participant's input after gain.
/// Two thresholds (start above, stop below) give hysteresis; attack keeps clicks from
/// counting as speech, hangover keeps the indicator on through the gaps between words.
/// </summary>
public sealed record TalkerDetectorOptions
{
    /// <summary>Smoothed level above which a participant starts talking.</summary>
    public double StartThresholdDbov { get; init; } = -40;

    /// <summary>Smoothed level below which a talking participant may stop.</summary>
    public double StopThresholdDbov { get; init; } = -45;

    /// <summary>How long the level must stay above the start threshold before talking starts.</summary>
    public int AttackMilliseconds { get; init; } = 40;

    /// <summary>How long the level must stay below the stop threshold before talking stops.</summary>
    public int HangoverMilliseconds { get; init; } = 400;

    /// <summary>
    /// Weight of the newest frame in the exponential smoothing of frame energy (0 &lt; α ≤ 1):
    /// smoothed += α × (frame − smoothed).
    /// </summary>
    public double Smoothing { get; init; } = 0.5;

    /// <summary>The defaults above.</summary>
    public static TalkerDetectorOptions Default { get; } = new();
}
