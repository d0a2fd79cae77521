namespace Hotline.Media.Codecs;

/// <summary>
/// Turns one codec's payload into another's for one stream direction: decode, convert the sample rate,
/// encode. A missing frame (lost, or a payload that could not be decoded) becomes the source decoder's
/// concealment, encoded like any frame, so the outgoing stream keeps its timing and the far end hears
/// the concealment rather than a gap. Owns its decoder, resampler and encoder; allocates nothing per frame.
/// </summary>
public sealed class Transcoder
{
    private readonly Resampler _resampler;
    private readonly short[] _decoded;
    private readonly short[] _resampled;
    private readonly int _frameSamples;

    /// <summary>Creates a transcoder between two catalogue entries, for frames of <paramref name="frameMilliseconds"/>.</summary>
    public Transcoder(AudioCodecInfo from, AudioCodecInfo to, int frameMilliseconds = 20, OpusOptions? opus = null)
        : this(AudioCodecFactory.CreateDecoder(from), AudioCodecFactory.CreateEncoder(to, opus), frameMilliseconds)
    {
    }

    /// <summary>Creates a transcoder over a decoder and an encoder that it then owns.</summary>
    public Transcoder(IAudioDecoder decoder, IAudioEncoder encoder, int frameMilliseconds = 20)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(encoder);
        if (frameMilliseconds <= 0)
            throw new ArgumentOutOfRangeException(nameof(frameMilliseconds), frameMilliseconds, "Frame duration must be positive.");
        Decoder = decoder;
        Encoder = encoder;
        FrameMilliseconds = frameMilliseconds;
        _frameSamples = decoder.Info.SamplesPerFrame(frameMilliseconds);
        _resampler = new Resampler(decoder.Info.SampleRate, encoder.Info.SampleRate);
        _decoded = new short[_frameSamples];
        _resampled = new short[encoder.Info.SamplesPerFrame(frameMilliseconds) + 1];
    }

    /// <summary>The source codec's decoder (its concealment fills missing frames).</summary>
    public IAudioDecoder Decoder { get; }

    /// <summary>The destination codec's encoder.</summary>
    public IAudioEncoder Encoder { get; }

    /// <summary>Frame duration this transcoder was built for.</summary>
    public int FrameMilliseconds { get; }

    /// <summary>Frames produced from concealment (missing, or undecodable payloads).</summary>
    public long Concealed { get; private set; }

    /// <summary>Payloads that could not be decoded (they were concealed instead).</summary>
    public long Undecodable { get; private set; }

    /// <summary>
    /// Transcodes one payload into <paramref name="output"/> and returns its length, or 0 if the encoder
    /// refused (output too small). An undecodable payload is concealed.
    /// </summary>
    public int Transcode(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        int decoded = Decoder.Decode(payload, _decoded);
        if (decoded == 0)
        {
            Undecodable++;
            return TranscodeMissing(output);
        }
        return Encode(_decoded.AsSpan(0, decoded), output);
    }

    /// <summary>Encodes the source decoder's concealment of one missing frame into <paramref name="output"/>.</summary>
    public int TranscodeMissing(Span<byte> output)
    {
        Concealed++;
        int concealed = Decoder.Conceal(_decoded);
        return Encode(_decoded.AsSpan(0, concealed), output);
    }

    private int Encode(ReadOnlySpan<short> pcm, Span<byte> output)
    {
        int resampled = _resampler.Process(pcm, _resampled);
        return Encoder.Encode(_resampled.AsSpan(0, resampled), output);
    }
}
