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
    private const int ChunkPairs = 160;
    private readonly G722Band _low = new(G722Constants.LowInitialScale);
    private readonly G722Band _high = new(G722Constants.HighInitialScale);
    // QMF delay lines (see G722Qmf): even- and odd-position input samples, 11 of history then the chunk.
    private readonly int[] _evenLine = new int[G722Qmf.History + ChunkPairs];
    private readonly int[] _oddLine = new int[G722Qmf.History + ChunkPairs];
    private readonly int[] _sumEven = new int[ChunkPairs];
    private readonly int[] _sumOdd = new int[ChunkPairs];

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
            int n = Math.Min(2 * ChunkPairs, pcm.Length);
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
        Array.Clear(_evenLine);
        Array.Clear(_oddLine);
    }

    /// <summary>
    /// Continues exactly where <paramref name="other"/> stands: the same ADPCM state, so a decoder that has
    /// followed <paramref name="other"/>'s codes follows this encoder's from now on without a glitch, and
    /// the same QMF history, so the input signal continues too.
    /// </summary>
    public void CopyStateFrom(G722Encoder other)
    {
        _low.CopyFrom(other._low);
        _high.CopyFrom(other._high);
        other._evenLine.AsSpan(0, G722Qmf.History).CopyTo(_evenLine);
        other._oddLine.AsSpan(0, G722Qmf.History).CopyTo(_oddLine);
    }

    /// <summary>True when both encoders' ADPCM states are identical (a decoder following one follows the other).</summary>
    internal bool SameAdpcmStateAs(G722Encoder other) => _low.SameStateAs(other._low) && _high.SameStateAs(other._high);

    private void EncodeChunk(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        int pairs = payload.Length;
        Span<int> evenLine = _evenLine, oddLine = _oddLine;
        pcm = pcm[..(2 * pairs)];
        for (int k = 0; k < pairs; k++)
        {
            evenLine[G722Qmf.History + k] = pcm[2 * k];
            oddLine[G722Qmf.History + k] = pcm[2 * k + 1];
        }
        // Transmit QMF (§3.2): of the 24 newest samples, the even-position ones against h0, h2, … and the
        // odd-position ones against the mirrored half; their sum and difference are the two sub-bands.
        G722Qmf.Filter(evenLine, oddLine, _sumEven, _sumOdd, pairs);
        ReadOnlySpan<int> sumEven = _sumEven.AsSpan(0, pairs), sumOdd = _sumOdd.AsSpan(0, pairs);
        var low = _low;
        var high = _high;
        for (int k = 0; k < sumEven.Length; k++)
        {
            // Blocks 1L/1H quantise against the current estimate; the rest adapts exactly as the decoder will.
            int il = low.QuantizeLow((sumOdd[k] + sumEven[k]) >> 14);
            int ih = high.QuantizeHigh((sumOdd[k] - sumEven[k]) >> 14);
            low.AdaptLow(il);
            high.AdaptHigh(ih);
            payload[k] = (byte)((ih << 6) | il);
        }
        G722Qmf.Age(evenLine, pairs);
        G722Qmf.Age(oddLine, pairs);
    }
}
