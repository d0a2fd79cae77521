using System.Security.Cryptography;

namespace Hotline.Media.Rtp;

/// <summary>Our own synchronization source identifiers (RFC 3550 §8).</summary>
public static class RtpSsrc
{
    /// <summary>
    /// A random SSRC. §8 asks for a value no one can predict and unlikely to collide, so it comes from the
    /// cryptographic generator; <paramref name="avoid"/> (e.g. the peer's SSRC after a collision, §8.2)
    /// is never returned, nor is zero, which some stacks treat as "unset".
    /// </summary>
    public static uint NewRandom(uint? avoid = null)
    {
        Span<byte> bytes = stackalloc byte[4];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            uint ssrc = BitConverter.ToUInt32(bytes);
            if (ssrc != 0 && ssrc != avoid) return ssrc;
        }
    }
}
