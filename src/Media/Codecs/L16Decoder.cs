using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Hotline.Media.Codecs;

/// <summary>L16 decoder (RFC 3551 §4.5.11), concealing lost frames with the Appendix I algorithm.</summary>
public sealed class L16Decoder : IAudioDecoder
{
    private readonly G711Plc _plc;

    /// <summary>Creates a decoder for PCM at 8000 or 16000 Hz.</summary>
    public L16Decoder(int sampleRate)
    {
        Info = L16.InfoFor(sampleRate);
        _plc = new G711Plc(sampleRate);
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Payloads refused: empty, of odd length, or longer than the PCM buffer.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        int samples = payload.Length / 2;
        if (payload.IsEmpty || (payload.Length & 1) != 0 || samples > pcm.Length)
        {
            Rejected++;
            return 0;
        }
        BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, short>(payload), pcm[..samples]);
        _plc.Received(pcm[..samples]);
        return samples;
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        return pcm.Length;
    }
}
