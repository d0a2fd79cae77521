namespace Hotline.Media.Codecs;

/// <summary>
/// Encoder settings for an Opus stream. Inband FEC is always on and DTX always off: FEC lets the jitter
/// buffer rebuild a lost frame from the next packet (RFC 6716 §2.1.7, LBRR), and DTX would stop packets
/// in silence, which a B2BUA that records and mixes would have to treat as loss.
/// </summary>
/// <param name="Bitrate">Target bit rate in bit/s, or 0 for the default of the PCM rate (16k at 8 kHz, 24k at 16 kHz, 32k at 48 kHz).</param>
/// <param name="Complexity">0..10; 5 keeps a server's many streams cheap at little cost to speech quality.</param>
/// <param name="ExpectedLossPercent">Loss the encoder plans FEC for (0..100); more loss buys more redundancy, fewer bits for the frame itself.</param>
public sealed record OpusOptions(int Bitrate = 0, int Complexity = 5, int ExpectedLossPercent = 10)
{
    /// <summary>Defaults for a VoIP call.</summary>
    public static OpusOptions Default { get; } = new();

    /// <summary>The bit rate used at <paramref name="sampleRate"/>.</summary>
    public int BitrateFor(int sampleRate) => Bitrate > 0 ? Bitrate : sampleRate switch
    {
        8000 => 16000,
        16000 => 24000,
        _ => 32000,
    };
}
