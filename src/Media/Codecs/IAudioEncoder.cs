namespace Hotline.Media.Codecs;

/// <summary>
/// Encodes one direction of one stream. Encoders keep state between frames (G.722's ADPCM
/// predictors, Opus), so each RTP stream owns its own instance; never share one between streams.
/// </summary>
public interface IAudioEncoder
{
    /// <summary>What this encoder produces (name, clock rate, PCM rate).</summary>
    AudioCodecInfo Info { get; }

    /// <summary>
    /// Encodes one frame of mono PCM at <see cref="AudioCodecInfo.SampleRate"/> into <paramref name="payload"/>
    /// and returns the number of payload bytes written. Allocates nothing.
    /// </summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);
}
