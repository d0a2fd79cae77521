namespace Hotline.Media.Codecs;

/// <summary>
/// ITU-T G.722 sub-band ADPCM encoder, 64 kbit/s (mode 1): 16 kHz PCM, two samples per byte. The transmit
/// QMF (§3.2) splits each sample pair into a low and a high sub-band sample; the low band is coded with
/// 6 bits (§3.3, block 1L) and the high band with 2 (§3.4, block 1H); the byte is IH(2) | IL(6), sent as is
/// (RFC 3551 §4.5.2). The predictor adapts from the 4-bit truncated low code so the bitstream stays
/// embedded (§1.4).
/// </summary>
public sealed class G722Encoder : IAudioEncoder
{
    private const int Taps = 24;
    private const int Chunk = 320;
    private readonly G722Band _low = new(G722Constants.LowInitialScale);
    private readonly G722Band _high = new(G722Constants.HighInitialScale);
    // QMF input: the previous 22 samples then the chunk being coded, so every 24-sample window is contiguous.
    private readonly int[] _work = new int[Taps - 2 + Chunk];

    /// <inheritdoc />
    public AudioCodecInfo Info => AudioCodecs.G722;

    /// <summary>Frames refused: odd sample count, or a payload buffer shorter than half of it.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if ((pcm.Length & 1) != 0 || payload.Length < pcm.Length / 2)
        {
            Rejected++;
            return 0;
        }
        int written = 0;
        while (!pcm.IsEmpty)
        {
            int n = Math.Min(Chunk, pcm.Length);
            EncodeChunk(pcm[..n], payload.Slice(written, n / 2));
            written += n / 2;
            pcm = pcm[n..];
        }
        return written;
    }

    /// <summary>Back to the initial state of §3.6 (as after a reset of the encoder).</summary>
    public void Reset()
    {
        _low.Reset(G722Constants.LowInitialScale);
        _high.Reset(G722Constants.HighInitialScale);
        Array.Clear(_work);
    }

    private void EncodeChunk(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        Span<int> work = _work.AsSpan(0, Taps - 2 + pcm.Length);
        for (int i = 0; i < pcm.Length; i++)
            work[Taps - 2 + i] = pcm[i];
        ReadOnlySpan<int> h = G722Tables.Qmf;
        for (int k = 0; k < payload.Length; k++)
        {
            // Transmit QMF (§3.2): the window holds 24 samples, oldest first; even and odd taps are
            // summed apart, and their sum and difference are the low and high sub-band samples.
            ReadOnlySpan<int> x = work.Slice(2 * k, Taps);
            int sumOdd = 0, sumEven = 0;
            for (int i = 0; i < 12; i++)
            {
                sumOdd += x[2 * i] * h[i];
                sumEven += x[2 * i + 1] * h[11 - i];
            }
            // Blocks 1L/1H quantise against the current estimate; the rest adapts exactly as the decoder will.
            int low = _low.QuantizeLow((sumEven + sumOdd) >> 14);
            int high = _high.QuantizeHigh((sumEven - sumOdd) >> 14);
            _low.AdaptLow(low);
            _high.AdaptHigh(high);
            payload[k] = (byte)((high << 6) | low);
        }
        work[^(Taps - 2)..].CopyTo(work);
    }
}
