namespace Hotline.Media.Codecs;

/// <summary>Scalar constants of ITU-T G.722 §3 shared by encoder and decoder.</summary>
internal static class G722Constants
{
    /// <summary>DETL after reset (§3.6, initial value 32).</summary>
    public const int LowInitialScale = 32;

    /// <summary>DETH after reset (§3.6, initial value 8).</summary>
    public const int HighInitialScale = 8;

    /// <summary>Upper limit of NBL (block 3L, LOGSCL).</summary>
    public const int LowMaxLogScale = 18432;

    /// <summary>Upper limit of NBH (block 3H, LOGSCH).</summary>
    public const int HighMaxLogScale = 22528;

    /// <summary>SCALEL shifts ILB right by 8 − NBL/2^11.</summary>
    public const int LowScaleShift = 8;

    /// <summary>SCALEH shifts ILB right by 10 − NBH/2^11.</summary>
    public const int HighScaleShift = 10;
}
