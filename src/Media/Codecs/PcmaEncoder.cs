namespace Hotline.Media.Codecs;

/// <summary>G.711 A-law encoder (PCMA, RFC 3551 §4.5.14): one byte per 8 kHz sample, stateless.</summary>
public sealed class PcmaEncoder : IAudioEncoder
{
    /// <inheritdoc />
    public AudioCodecInfo Info => AudioCodecs.Pcma;

    /// <summary>Frames refused because <c>payload</c> was shorter than <c>pcm</c>.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (payload.Length < pcm.Length)
        {
            Rejected++;
            return 0;
        }
        return G711.EncodeALaw(pcm, payload);
    }
}
