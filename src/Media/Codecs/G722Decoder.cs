namespace Hotline.Media.Codecs;

/// <summary>
/// ITU-T G.722 decoder, 64 kbit/s (mode 1): one byte gives two 16 kHz samples. The low band is
/// reconstructed from all 6 bits (§4.3, block 5L with QQ6) while the predictors adapt from the 4-bit
/// core exactly as in the encoder; the receive QMF (§4.4) interleaves the two sub-bands back to 16 kHz.
/// Lost frames are concealed with the Appendix I pitch-repetition algorithm at 16 kHz (<see cref="G711Plc"/>).
/// The ADPCM state is left as it was before the loss: it is backward adaptive, so it re-converges to the
/// far encoder's by itself, and the concealer's end overlap-add hides the first milliseconds. Measured on
/// espeak-ng speech with 200 ms losses, keeping the state recovered better than resetting it (§3.6) and
/// better than re-encoding the concealed audio into it, which drags the scale factors down with the fade.
/// </summary>
public sealed class G722Decoder : IAudioDecoder
{
    private const int Taps = 24;
    private const int Chunk = 160;
    private readonly G722Band _low = new(G722Constants.LowInitialScale);
    private readonly G722Band _high = new(G722Constants.HighInitialScale);
    // Receive QMF input: previous 22 sub-band sums/differences, then those of the chunk being decoded.
    private readonly int[] _synthesis = new int[Taps - 2 + 2 * Chunk];
    private readonly G711Plc _plc = new(16000);

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
        return pcm.Length;
    }

    private void DecodeChunk(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        Span<int> work = _synthesis.AsSpan(0, Taps - 2 + 2 * payload.Length);
        ReadOnlySpan<int> h = G722Tables.Qmf;
        for (int k = 0; k < payload.Length; k++)
        {
            int rl = _low.AdaptLow(payload[k] & 0x3F);
            int rh = _high.AdaptHigh(payload[k] >> 6);

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
