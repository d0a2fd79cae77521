using System.Diagnostics.CodeAnalysis;

namespace Hotline.Media.Codecs;

/// <summary>
/// Creates a fresh encoder or decoder (one per stream and direction) for a catalogue entry, chosen by its
/// encoding name (case-insensitive, as rtpmap names are, RFC 4566 §6) and PCM rate.
/// </summary>
public static class AudioCodecFactory
{
    /// <summary>Creates an encoder for <paramref name="info"/>; <paramref name="opus"/> applies to Opus only.</summary>
    /// <exception cref="ArgumentException">No codec of that name and rate is implemented.</exception>
    public static IAudioEncoder CreateEncoder(AudioCodecInfo info, OpusOptions? opus = null) =>
        TryCreateEncoder(info, out var encoder, opus) ? encoder : throw Unsupported(info);

    /// <summary>Creates a decoder for <paramref name="info"/>.</summary>
    /// <exception cref="ArgumentException">No codec of that name and rate is implemented.</exception>
    public static IAudioDecoder CreateDecoder(AudioCodecInfo info) =>
        TryCreateDecoder(info, out var decoder) ? decoder : throw Unsupported(info);

    /// <summary>Creates an encoder for <paramref name="info"/>, or returns false if none is implemented.</summary>
    public static bool TryCreateEncoder(AudioCodecInfo info, [NotNullWhen(true)] out IAudioEncoder? encoder, OpusOptions? opus = null)
    {
        ArgumentNullException.ThrowIfNull(info);
        encoder = Kind(info) switch
        {
            CodecKind.Pcmu => new PcmuEncoder(),
            CodecKind.Pcma => new PcmaEncoder(),
            CodecKind.G722 => new G722Encoder(),
            CodecKind.Opus => new OpusAudioEncoder(info.SampleRate, opus),
            CodecKind.L16 => new L16Encoder(info.SampleRate),
            _ => null,
        };
        return encoder is not null;
    }

    /// <summary>Creates a decoder for <paramref name="info"/>, or returns false if none is implemented.</summary>
    public static bool TryCreateDecoder(AudioCodecInfo info, [NotNullWhen(true)] out IAudioDecoder? decoder)
    {
        ArgumentNullException.ThrowIfNull(info);
        decoder = Kind(info) switch
        {
            CodecKind.Pcmu => new PcmuDecoder(),
            CodecKind.Pcma => new PcmaDecoder(),
            CodecKind.G722 => new G722Decoder(),
            CodecKind.Opus => new OpusAudioDecoder(info.SampleRate),
            CodecKind.L16 => new L16Decoder(info.SampleRate),
            _ => null,
        };
        return decoder is not null;
    }

    /// <summary>True if both an encoder and a decoder exist for <paramref name="info"/>.</summary>
    public static bool IsSupported(AudioCodecInfo info) => Kind(info) != CodecKind.None;

    private enum CodecKind { None, Pcmu, Pcma, G722, Opus, L16 }

    private static CodecKind Kind(AudioCodecInfo info)
    {
        static bool Is(AudioCodecInfo info, string name) => string.Equals(info.Name, name, StringComparison.OrdinalIgnoreCase);

        if (Is(info, "PCMU") && info.ClockRate == 8000 && info.SampleRate == 8000)
            return CodecKind.Pcmu;
        if (Is(info, "PCMA") && info.ClockRate == 8000 && info.SampleRate == 8000)
            return CodecKind.Pcma;
        if (Is(info, "G722") && info.ClockRate == 8000 && info.SampleRate == 16000)
            return CodecKind.G722;
        if (Is(info, "opus") && info.ClockRate == 48000 && info.SampleRate is 8000 or 16000 or 48000)
            return CodecKind.Opus;
        if (Is(info, "L16") && info.ClockRate == info.SampleRate && info.SampleRate is 8000 or 16000 && info.Channels == 1)
            return CodecKind.L16;
        return CodecKind.None;
    }

    private static ArgumentException Unsupported(AudioCodecInfo info) =>
        new($"No codec implements {info.Name}/{info.ClockRate} with {info.SampleRate} Hz PCM.", nameof(info));
}
