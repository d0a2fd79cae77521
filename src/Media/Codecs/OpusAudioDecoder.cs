using Concentus;
using Concentus.Structs;
using ConcentusDecoder = Concentus.Structs.OpusDecoder;

namespace Hotline.Media.Codecs;

/// <summary>
/// Opus decoder for one stream (Concentus), mono output at the PCM rate of <see cref="Info"/> (a stereo
/// stream is downmixed by the decoder). Concealment is Opus's own PLC; <see cref="DecodeFec"/> rebuilds a
/// lost frame from the LBRR data carried in the packet after it (RFC 6716 §4.2.5), which beats PLC when
/// the jitter buffer already holds that next packet.
/// </summary>
public sealed class OpusAudioDecoder : IAudioDecoder
{
    private readonly ConcentusDecoder _decoder;

    /// <summary>Creates a decoder producing PCM at <paramref name="sampleRate"/> (8000, 16000 or 48000).</summary>
    public OpusAudioDecoder(int sampleRate)
    {
        Info = AudioCodecs.OpusAt(sampleRate);
        // Managed decoder directly, for the reason given in OpusAudioEncoder.
#pragma warning disable CS0618 // obsolete only in favour of OpusCodecFactory
        _decoder = new ConcentusDecoder(sampleRate, 1);
#pragma warning restore CS0618
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>Payloads refused: empty, malformed, or longer than the PCM buffer.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        if (payload.IsEmpty || !FitsIn(payload, pcm.Length))
        {
            Rejected++;
            return 0;
        }
        return Run(payload, pcm, pcm.Length, fec: false);
    }

    /// <summary>
    /// Opus packet-loss concealment for <paramref name="pcm"/>.Length samples; whole 2.5 ms units are
    /// concealed (Opus PLC works in those), any remainder is silence.
    /// </summary>
    public int Conceal(Span<short> pcm)
    {
        int units = pcm.Length / (Info.SampleRate / 400) * (Info.SampleRate / 400);
        int written = units > 0 ? Run(ReadOnlySpan<byte>.Empty, pcm, units, fec: false) : 0;
        pcm[written..].Clear();
        return pcm.Length;
    }

    /// <summary>
    /// Rebuilds the frame lost just before <paramref name="nextPayload"/> from the FEC data in it, filling
    /// <paramref name="pcm"/> (whose length must be the lost frame's duration, a multiple of 2.5 ms).
    /// Decode <paramref name="nextPayload"/> normally afterwards. Without FEC data in it, Opus falls back to PLC.
    /// Returns the samples written, or 0 if the packet is malformed.
    /// </summary>
    public int DecodeFec(ReadOnlySpan<byte> nextPayload, Span<short> pcm)
    {
        if (nextPayload.IsEmpty || pcm.Length % (Info.SampleRate / 400) != 0 || pcm.IsEmpty)
        {
            Rejected++;
            return 0;
        }
        return Run(nextPayload, pcm, pcm.Length, fec: true);
    }

    private bool FitsIn(ReadOnlySpan<byte> payload, int capacity)
    {
        try
        {
            int samples = OpusPacketInfo.GetNumSamples(payload, Info.SampleRate);
            return samples > 0 && samples <= capacity;
        }
        catch (OpusException)
        {
            return false;
        }
    }

    private int Run(ReadOnlySpan<byte> payload, Span<short> pcm, int frameSize, bool fec)
    {
        try
        {
            return _decoder.Decode(payload, pcm, frameSize, fec);
        }
        catch (OpusException)
        {
            // Concentus throws on a corrupt packet; count it and let the caller conceal instead.
            Rejected++;
            return 0;
        }
    }
}
