namespace Hotline.Media.Codecs;

/// <summary>G.711 µ-law decoder (PCMU) with Appendix I concealment of lost frames.</summary>
public sealed class PcmuDecoder : IAudioDecoder
{
    private readonly G711Plc _plc = new(8000);

    /// <inheritdoc />
    public AudioCodecInfo Info => AudioCodecs.Pcmu;

    /// <summary>Payloads refused: empty, or longer than the PCM buffer.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || payload.Length > pcm.Length)
        {
            Rejected++;
            return 0;
        }
        int count = G711.DecodeMuLaw(payload, pcm);
        _plc.Received(pcm[..count]);
        return count;
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        return pcm.Length;
    }
}
