using System.Net;

namespace Hotline.Media.Engine;

/// <summary>Counters and quality of one endpoint, for CDRs and the live view.</summary>
/// <param name="Codec">Negotiated rtpmap name, or null before negotiation.</param>
/// <param name="PacketsLost">Cumulative loss of the peer's stream (RFC 3550 A.3).</param>
/// <param name="Jitter">Interarrival jitter of the peer's stream (RFC 3550 A.8).</param>
/// <param name="RemoteRtp">Where we send: the latched source, else the signalled address.</param>
/// <param name="Malformed">RTP packets that failed validation, dropped.</param>
/// <param name="RejectedSource">Packets from another source while the latched one was alive, dropped.</param>
/// <param name="UnknownPayloadType">Packets of a payload type not negotiated, dropped.</param>
/// <param name="Relayed">Packets forwarded to this endpoint's peer from the other leg without decoding.</param>
/// <param name="ConcealedFrames">Frames the decoder made up on the paths that decode.</param>
/// <param name="RoundTrip">From the peer's RTCP report blocks on our stream (RFC 3550 §6.4.1), if any.</param>
public sealed record EndpointStatistics(
    string? Codec, long PacketsReceived, long PacketsSent, long PacketsLost, TimeSpan Jitter, IPEndPoint? RemoteRtp,
    long Malformed, long RejectedSource, long UnknownPayloadType, long Relayed, long ConcealedFrames,
    TimeSpan? RoundTrip, long RtcpReceived, long RtcpSent);

/// <summary>Totals over all workers since the engine started.</summary>
/// <param name="RtpReceived">RTP datagrams read (valid or not).</param>
/// <param name="Relayed">Of those, forwarded on arrival to the other leg of a bridge.</param>
/// <param name="LateTicks">Ticks that ran more than a period late (overload).</param>
/// <param name="SkippedTicks">Ticks given up to catch up after a stall.</param>
/// <param name="Faults">Exceptions caught in a worker (bugs; logged).</param>
/// <param name="RecordingFramesDropped">Frames the shared recording writer could not keep up with.</param>
/// <param name="PumpWaits">Times the workers waited for packets (datagrams ÷ waits is the batch size).</param>
/// <param name="LegsPerWorker">Legs each worker owns now.</param>
/// <param name="LongestTick">The longest any worker's tick took.</param>
/// <param name="SlowTicks">Ticks whose work took over 5 ms.</param>
public sealed record MediaEngineStatistics(
    int Endpoints, long RtpReceived, long RtpSent, long Relayed, long RtcpReceived, long RtcpSent,
    long Malformed, long UnknownPayloadType, long RejectedSource, long Ignored, long SendErrors,
    long Ticks, long LateTicks, long SkippedTicks, long Faults, long RecordingFramesDropped,
    long PumpWaits, IReadOnlyList<int> LegsPerWorker, TimeSpan LongestTick, long SlowTicks);
