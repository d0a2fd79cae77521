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
            int low = EncodeLow((sumEven + sumOdd) >> 14);
            int high = EncodeHigh((sumEven - sumOdd) >> 14);
            payload[k] = (byte)((high << 6) | low);
        }
        work[^(Taps - 2)..].CopyTo(work);
    }

    private int EncodeLow(int xl)
    {
        // Block 1L: SUBTRA then QUANTL, a search of the 30 decision levels scaled by DETL.
        int el = G722Band.Saturate(xl - _low.Estimate);
        int magnitude = el >= 0 ? el : -(el + 1);
        int interval = 1;
        for (; interval < 30; interval++)
            if (magnitude < (G722Tables.Q6[interval] * _low.Scale) >> 12)
                break;
        int il = el < 0 ? G722Tables.Iln[interval] : G722Tables.Ilp[interval];

        // Blocks 2L (INVQAL on the 4-bit code), 3L and 4.
        int il4 = il >> 2;
        int dl = (_low.Scale * G722Tables.Qm4[il4]) >> 15;
        _low.AdaptScale(G722Tables.Wl[G722Tables.Rl42[il4]], G722Constants.LowMaxLogScale, G722Constants.LowScaleShift);
        _low.Update(dl);
        return il;
    }

    private int EncodeHigh(int xh)
    {
        // Block 1H: SUBTRA then QUANTH, one decision level at 564·DETH / 4096.
        int eh = G722Band.Saturate(xh - _high.Estimate);
        int magnitude = eh >= 0 ? eh : -(eh + 1);
        int interval = magnitude >= (564 * _high.Scale) >> 12 ? 2 : 1;
        int ih = eh < 0 ? G722Tables.Ihn[interval] : G722Tables.Ihp[interval];

        // Blocks 2H, 3H and 4.
        int dh = (_high.Scale * G722Tables.Qm2[ih]) >> 15;
        _high.AdaptScale(G722Tables.Wh[G722Tables.Rh2[ih]], G722Constants.HighMaxLogScale, G722Constants.HighScaleShift);
        _high.Update(dh);
        return ih;
    }
}
