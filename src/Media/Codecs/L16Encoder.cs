using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Hotline.Media.Codecs;

/// <summary>L16 encoder (RFC 3551 §4.5.11): 16-bit signed samples in network byte order, mono.</summary>
public sealed class L16Encoder : IAudioEncoder
{
    /// <summary>Creates an encoder for PCM at 8000 or 16000 Hz.</summary>
    public L16Encoder(int sampleRate) => Info = L16.InfoFor(sampleRate);

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Frames refused because the payload buffer was shorter than two bytes per sample.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (payload.Length < pcm.Length * 2)
        {
            Rejected++;
            return 0;
        }
        // Vectorised byte swap straight into the payload.
        BinaryPrimitives.ReverseEndianness(pcm, MemoryMarshal.Cast<byte, short>(payload[..(pcm.Length * 2)]));
        return pcm.Length * 2;
    }
}
