using Hotline.Media.Playback;

namespace Hotline.Media.Engine;

/// <summary>
/// Short tones a room plays to everyone when someone comes or goes: rising for a join, falling for a
/// leave (the usual conference-bridge convention), each played once, in the 450 Hz family of China's
/// signal tones so they sound like the network's own.
/// </summary>
public static class ConferenceTones
{
    /// <summary>Someone joined: 450 Hz then 900 Hz, 120 ms each with a 40 ms gap.</summary>
    public static ToneSpec Join { get; } = ToneSpec.Parse("!450/120,!0/40,!900/120");

    /// <summary>Someone left: 900 Hz then 450 Hz.</summary>
    public static ToneSpec Leave { get; } = ToneSpec.Parse("!900/120,!0/40,!450/120");
}
