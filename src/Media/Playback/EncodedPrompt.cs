using Hotline.Media.Codecs;

namespace Hotline.Media.Playback;

/// <summary>
/// A prompt encoded once into one codec, 20 ms per frame, ready to be sent as RTP payloads.
/// Read-only and shared: a thousand queued callers hearing the same prompt share one encoding.
/// </summary>
public sealed class EncodedPrompt
{
    private readonly byte[] _payloads;
    private readonly int[] _offsets;

    internal EncodedPrompt(Prompt source, AudioCodecInfo codec, int frameMilliseconds, byte[] payloads, int[] offsets)
    {
        Source = source;
        Codec = codec;
        FrameMilliseconds = frameMilliseconds;
        _payloads = payloads;
        _offsets = offsets;
    }

    /// <summary>The PCM prompt it was encoded from.</summary>
    public Prompt Source { get; }

    public AudioCodecInfo Codec { get; }

    public int FrameMilliseconds { get; }

    public int FrameCount => _offsets.Length - 1;

    /// <summary>Payload of frame <paramref name="index"/> (the last one is padded with silence).</summary>
    public ReadOnlySpan<byte> Frame(int index) => _payloads.AsSpan(_offsets[index], _offsets[index + 1] - _offsets[index]);

    /// <summary>Total payload bytes, all frames.</summary>
    public int PayloadBytes => _payloads.Length;
}
