namespace Hotline.Media.Codecs;

/// <summary>
/// A codec as SDP names it (RFC 3551 / RFC 4566 rtpmap) plus the PCM rate it works at.
/// </summary>
/// <param name="Name">Encoding name as in <c>a=rtpmap</c>, e.g. PCMU, PCMA, G722, opus, L16.</param>
/// <param name="ClockRate">RTP timestamp rate. G.722 says 8000 although it samples at 16 kHz (RFC 3551 §4.5.2).</param>
/// <param name="SampleRate">Rate of the PCM the encoder takes and the decoder gives.</param>
/// <param name="StaticPayloadType">RFC 3551 static payload type, or -1 for a dynamic one.</param>
/// <param name="Channels">Channels as written in rtpmap (Opus is always declared as 2, RFC 7587).</param>
public sealed record AudioCodecInfo(string Name, int ClockRate, int SampleRate, int StaticPayloadType, int Channels = 1)
{
    /// <summary>Samples in one frame of <paramref name="milliseconds"/> at <see cref="SampleRate"/>.</summary>
    public int SamplesPerFrame(int milliseconds = 20) => SampleRate * milliseconds / 1000;

    /// <summary>RTP timestamp increment of one frame of <paramref name="milliseconds"/>.</summary>
    public int TimestampsPerFrame(int milliseconds = 20) => ClockRate * milliseconds / 1000;
}
