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
    private const int Chunk = 160;
    private readonly G722Band _low = new(G722Constants.LowInitialScale);
    private readonly G722Band _high = new(G722Constants.HighInitialScale);
    // Receive QMF delay lines (see G722Qmf): sub-band sums and differences, 11 of history then the chunk.
    private readonly int[] _sumLine = new int[G722Qmf.History + Chunk];
    private readonly int[] _differenceLine = new int[G722Qmf.History + Chunk];
    private readonly int[] _even = new int[Chunk];
    private readonly int[] _odd = new int[Chunk];
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
        int n = payload.Length;
        Span<int> sumLine = _sumLine, differenceLine = _differenceLine;
        sumLine = sumLine[..(G722Qmf.History + n)];
        differenceLine = differenceLine[..(G722Qmf.History + n)];
        var low = _low;
        var high = _high;
        for (int k = 0; k < payload.Length; k++)
        {
            int code = payload[k];
            int rl = low.AdaptLow(code & 0x3F);
            int rh = high.AdaptHigh(code >> 6);
            // Receive QMF input (§4.4): sum and difference of the sub-bands feed the two polyphase halves.
            sumLine[G722Qmf.History + k] = rl + rh;
            differenceLine[G722Qmf.History + k] = rl - rh;
        }
        G722Qmf.Filter(sumLine, differenceLine, _even, _odd, n);
        ReadOnlySpan<int> even = _even.AsSpan(0, n), odd = _odd.AsSpan(0, n);
        pcm = pcm[..(2 * n)];
        for (int k = 0; k < even.Length; k++)
        {
            pcm[2 * k] = (short)G722Band.Saturate(odd[k] >> 11);
            pcm[2 * k + 1] = (short)G722Band.Saturate(even[k] >> 11);
        }
        G722Qmf.Age(_sumLine, n);
        G722Qmf.Age(_differenceLine, n);
    }
}
