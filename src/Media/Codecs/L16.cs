namespace Hotline.Media.Codecs;

internal static class L16
{
    public static AudioCodecInfo InfoFor(int sampleRate) => sampleRate switch
    {
        8000 => AudioCodecs.L16Narrowband,
        16000 => AudioCodecs.L16Wideband,
        _ => throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "L16 is supported at 8000 and 16000 Hz."),
    };
}
