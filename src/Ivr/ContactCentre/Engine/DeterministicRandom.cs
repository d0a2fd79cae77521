namespace Hotline.Ivr.ContactCentre.Engine;

/// <summary>
/// SplitMix64: a tiny generator whose whole state is one number, so the engine's random choices are a
/// function of its seed and the event log (System.Random's algorithm may change between runtimes).
/// </summary>
internal struct DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, <paramref name="bound"/>), by Lemire's multiply-shift (bias below 2⁻³² for our bounds).</summary>
    public int Next(int bound) => (int)((NextUInt64() >> 32) * (ulong)bound >> 32);
}
