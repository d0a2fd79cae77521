namespace Hotline.Media.Recording;

/// <summary>How a call is laid out in a recording.</summary>
public enum WavChannelLayout
{
    /// <summary>One channel: both parties mixed (saturating sum).</summary>
    Mono = 1,

    /// <summary>Two channels: caller left, callee right, so either side can be played or analysed alone.</summary>
    Stereo = 2,
}
