using Concentus;
using Concentus.Enums;
using ConcentusEncoder = Concentus.Structs.OpusEncoder;

namespace Hotline.Media.Codecs;

/// <summary>
/// Opus encoder for one stream (Concentus, a managed port of libopus), mono, VOIP application, inband FEC
/// on, DTX off; audio bandwidth capped at what the PCM rate carries (narrowband at 8 kHz, wideband at
/// 16 kHz, fullband at 48 kHz). RTP clock is 48 kHz whatever the PCM rate (RFC 7587 §4.1).
/// </summary>
public sealed class OpusAudioEncoder : IAudioEncoder
{
    /// <summary>Largest Opus packet (RFC 6716 §3.2.1).</summary>
    public const int MaxPacketBytes = 1275;

    private readonly ConcentusEncoder _encoder;

    /// <summary>Creates an encoder for PCM at <paramref name="sampleRate"/> (8000, 16000 or 48000).</summary>
    public OpusAudioEncoder(int sampleRate, OpusOptions? options = null)
    {
        Info = AudioCodecs.OpusAt(sampleRate);
        Options = options ?? OpusOptions.Default;
        // The managed encoder directly, not OpusCodecFactory: the factory may bind a native libopus found on
        // the machine (opus-tools brings one), and behaviour must not depend on what happens to be installed.
#pragma warning disable CS0618 // obsolete only in favour of that factory
        _encoder = new ConcentusEncoder(sampleRate, 1, OpusApplication.OPUS_APPLICATION_VOIP)
#pragma warning restore CS0618
        {
            Bitrate = Options.BitrateFor(sampleRate),
            Complexity = Math.Clamp(Options.Complexity, 0, 10),
            UseInbandFEC = true,
            PacketLossPercent = Math.Clamp(Options.ExpectedLossPercent, 0, 100),
            UseDTX = false,
            MaxBandwidth = sampleRate switch
            {
                8000 => OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND,
                16000 => OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND,
                _ => OpusBandwidth.OPUS_BANDWIDTH_FULLBAND,
            },
        };
    }

    /// <inheritdoc />
    public AudioCodecInfo Info { get; }

    /// <summary>The settings this encoder was made with.</summary>
    public OpusOptions Options { get; }

    /// <summary>Frames refused: not 2.5/5/10/20/40/60 ms long, or the encoder reported an error.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc />
    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (!IsValidFrame(pcm.Length, Info.SampleRate) || payload.IsEmpty)
        {
            Rejected++;
            return 0;
        }
        try
        {
            return _encoder.Encode(pcm, pcm.Length, payload, Math.Min(payload.Length, MaxPacketBytes));
        }
        catch (OpusException)
        {
            // Concentus reports errors (e.g. a too small payload buffer) by throwing; a frame is dropped, not the call.
            Rejected++;
            return 0;
        }
    }

    /// <summary>Opus frames are 2.5, 5, 10, 20, 40 or 60 ms (RFC 6716 §2.1.4).</summary>
    internal static bool IsValidFrame(int samples, int sampleRate)
    {
        int per2_5Ms = sampleRate / 400;
        if (samples <= 0 || samples % per2_5Ms != 0)
            return false;
        int units = samples / per2_5Ms;
        return units is 1 or 2 or 4 or 8 or 16 or 24;
    }
}
