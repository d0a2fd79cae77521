namespace Hotline.Media.Codecs;

/// <summary>
/// The codecs the media engine speaks, as SDP announces them. Static payload types and clock rates are
/// those of RFC 3551 §6 Table 4; Opus follows RFC 7587 (always <c>opus/48000/2</c>, dynamic payload type)
/// and exists in one variant per PCM rate the engine works at; L16 at 8 and 16 kHz has no static type.
/// </summary>
public static class AudioCodecs
{
    /// <summary>G.711 µ-law, PT 0 (RFC 3551 §4.5.14).</summary>
    public static readonly AudioCodecInfo Pcmu = new("PCMU", 8000, 8000, 0);

    /// <summary>G.711 A-law, PT 8 (RFC 3551 §4.5.14).</summary>
    public static readonly AudioCodecInfo Pcma = new("PCMA", 8000, 8000, 8);

    /// <summary>G.722 at 64 kbit/s: 16 kHz PCM, RTP clock 8000 for historical reasons (RFC 3551 §4.5.2), PT 9.</summary>
    public static readonly AudioCodecInfo G722 = new("G722", 8000, 16000, 9);

    /// <summary>Opus decoded to and encoded from 48 kHz PCM (fullband).</summary>
    public static readonly AudioCodecInfo Opus = new("opus", 48000, 48000, -1, 2);

    /// <summary>Opus at 16 kHz PCM (wideband), same rtpmap as <see cref="Opus"/>.</summary>
    public static readonly AudioCodecInfo OpusWideband = new("opus", 48000, 16000, -1, 2);

    /// <summary>Opus at 8 kHz PCM (narrowband), same rtpmap as <see cref="Opus"/>.</summary>
    public static readonly AudioCodecInfo OpusNarrowband = new("opus", 48000, 8000, -1, 2);

    /// <summary>L16 mono at 8 kHz (RFC 3551 §4.5.11), dynamic payload type.</summary>
    public static readonly AudioCodecInfo L16Narrowband = new("L16", 8000, 8000, -1);

    /// <summary>L16 mono at 16 kHz (RFC 3551 §4.5.11), dynamic payload type.</summary>
    public static readonly AudioCodecInfo L16Wideband = new("L16", 16000, 16000, -1);

    /// <summary>Every entry above, in a stable order (the order SDP offers should prefer is the caller's choice).</summary>
    public static IReadOnlyList<AudioCodecInfo> All { get; } =
        [Pcmu, Pcma, G722, Opus, OpusWideband, OpusNarrowband, L16Narrowband, L16Wideband];

    /// <summary>The Opus variant whose PCM is at <paramref name="sampleRate"/> (8000, 16000 or 48000).</summary>
    public static AudioCodecInfo OpusAt(int sampleRate) => sampleRate switch
    {
        8000 => OpusNarrowband,
        16000 => OpusWideband,
        48000 => Opus,
        _ => throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "Opus PCM rate must be 8000, 16000 or 48000."),
    };

    /// <summary>
    /// Finds the catalogue entry for an rtpmap encoding name (case-insensitive, RFC 4566 §6) and clock rate;
    /// for Opus, <paramref name="sampleRate"/> picks the PCM variant (48 kHz when 0).
    /// </summary>
    public static bool TryFind(string name, int clockRate, out AudioCodecInfo info, int sampleRate = 0)
    {
        foreach (var candidate in All)
        {
            if (!string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase) || candidate.ClockRate != clockRate)
                continue;
            if (sampleRate != 0 ? candidate.SampleRate != sampleRate : candidate.ClockRate == 48000 && candidate.SampleRate != 48000)
                continue;
            info = candidate;
            return true;
        }
        info = null!;
        return false;
    }
}
