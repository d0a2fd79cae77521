namespace Hotline.Media.Codecs;

/// <summary>
/// ITU-T G.722 decoder, 64 kbit/s (mode 1): one byte gives two 16 kHz samples. The low band is
/// reconstructed from all 6 bits (§4.3, block 5L with QQ6) while the predictors adapt from the 4-bit
/// core exactly as in the encoder; the receive QMF (§4.4) interleaves the two sub-bands back to 16 kHz.
/// Lost frames are concealed with the Appendix I pitch-repetition algorithm at 16 kHz (<see cref="G711Plc"/>).
/// The ADPCM state is left as it was during a short loss (it is backward adaptive and re-converges within
/// a few milliseconds, which the concealer's fade-in covers); once a loss has run long enough for the
/// concealment to fade to silence, the encoder's state is unknowable, so the decoder is reset (§3.6) and
/// adapts from scratch like a fresh call.
/// </summary>
public sealed class G722Decoder : IAudioDecoder
{
    private const int Taps = 24;
    private const int Chunk = 160;
    // Appendix I conceals for 60 ms and is silent after it.
    private const int ResetAfterLostSamples = 16000 * 60 / 1000;
    private readonly G722Band _low = new(G722Constants.LowInitialScale);
    private readonly G722Band _high = new(G722Constants.HighInitialScale);
    private readonly int[] _work = new int[Taps - 2 + 2 * Chunk];
    private readonly G711Plc _plc = new(16000);
    private int _lostSamples;

    /// <inheritdoc />
    public AudioCodecInfo Info => AudioCodecs.G722;

    /// <summary>Payloads refused: empty, or decoding to more samples than the PCM buffer holds.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || pcm.Length < payload.Length * 2)
        {
            Rejected++;
            return 0;
        }
        if (_lostSamples >= ResetAfterLostSamples)
            Reset();
        _lostSamples = 0;
        int written = 0;
        while (!payload.IsEmpty)
        {
            int n = Math.Min(Chunk, payload.Length);
            DecodeChunk(payload[..n], pcm.Slice(written, 2 * n));
            written += 2 * n;
            payload = payload[n..];
        }
        _plc.Received(pcm[..written]);
        return written;
    }

    /// <inheritdoc />
    public int Conceal(Span<short> pcm)
    {
        _plc.Conceal(pcm);
        _lostSamples += pcm.Length;
        return pcm.Length;
    }

    private void Reset()
    {
        _low.Reset(G722Constants.LowInitialScale);
        _high.Reset(G722Constants.HighInitialScale);
        Array.Clear(_work);
    }

    private void DecodeChunk(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        Span<int> work = _work.AsSpan(0, Taps - 2 + 2 * payload.Length);
        ReadOnlySpan<int> h = G722Tables.Qmf;
        for (int k = 0; k < payload.Length; k++)
        {
            int il = payload[k] & 0x3F;
            int ih = payload[k] >> 6;

            // Blocks 5L (INVQBL with QQ6, RECONS) and 6L (LIMIT), then 2L, 3L, 4 on the 4-bit code.
            int rl = Math.Clamp(_low.Estimate + ((_low.Scale * G722Tables.Qm6[il]) >> 15), -16384, 16383);
            int il4 = il >> 2;
            int dl = (_low.Scale * G722Tables.Qm4[il4]) >> 15;
            _low.AdaptScale(G722Tables.Wl[G722Tables.Rl42[il4]], G722Constants.LowMaxLogScale, G722Constants.LowScaleShift);
            _low.Update(dl);

            // Blocks 2H (INVQAH), 5H (RECONS), 6H (LIMIT), 3H and 4.
            int dh = (_high.Scale * G722Tables.Qm2[ih]) >> 15;
            int rh = Math.Clamp(dh + _high.Estimate, -16384, 16383);
            _high.AdaptScale(G722Tables.Wh[G722Tables.Rh2[ih]], G722Constants.HighMaxLogScale, G722Constants.HighScaleShift);
            _high.Update(dh);

            // Receive QMF (§4.4): sum and difference of the sub-bands feed the two polyphase halves.
            work[Taps - 2 + 2 * k] = rl + rh;
            work[Taps - 1 + 2 * k] = rl - rh;
            ReadOnlySpan<int> x = work.Slice(2 * k, Taps);
            int out1 = 0, out2 = 0;
            for (int i = 0; i < 12; i++)
            {
                out2 += x[2 * i] * h[i];
                out1 += x[2 * i + 1] * h[11 - i];
            }
            pcm[2 * k] = (short)G722Band.Saturate(out1 >> 11);
            pcm[2 * k + 1] = (short)G722Band.Saturate(out2 >> 11);
        }
        work[^(Taps - 2)..].CopyTo(work);
    }
}
