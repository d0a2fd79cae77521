namespace Hotline.Media.Codecs;

/// <summary>
/// Decodes one direction of one stream, and conceals lost frames: concealment needs the
/// decoder's own history (G.711 Appendix I repeats the last pitch period, Opus has its own PLC),
/// so it lives here rather than in the jitter buffer.
/// </summary>
public interface IAudioDecoder
{
    /// <summary>What this decoder consumes (name, clock rate, PCM rate).</summary>
    AudioCodecInfo Info { get; }

    /// <summary>
    /// Decodes one RTP payload into mono PCM at <see cref="AudioCodecInfo.SampleRate"/> and returns
    /// the number of samples written. Allocates nothing.
    /// </summary>
    int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>
    /// Produces <paramref name="pcm"/>.Length samples of concealment for a frame that never arrived
    /// and returns the number written.
    /// </summary>
    int Conceal(Span<short> pcm);
}
