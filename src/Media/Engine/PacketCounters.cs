namespace Hotline.Media.Engine;

/// <summary>
/// Packet counters of one worker (summed into <see cref="MediaEngineStatistics"/>) or one leg. Written by
/// the owning worker only; other threads read them for statistics, which may lag by a packet.
/// </summary>
internal sealed class PacketCounters
{
    public long RtpReceived;
    public long RtpSent;
    public long Relayed;
    public long RtcpReceived;
    public long RtcpSent;
    /// <summary>RTP that failed RFC 3550 header validation.</summary>
    public long Malformed;
    /// <summary>RTP of a payload type the negotiation does not have (e.g. comfort noise we never offered).</summary>
    public long UnknownPayloadType;
    /// <summary>RTP before any negotiation, or while we are not receiving (we put the peer on hold).</summary>
    public long Ignored;
    /// <summary>RTP from a source other than the latched one while it is alive (symmetric RTP).</summary>
    public long RejectedSource;
    /// <summary>Sends the socket refused.</summary>
    public long SendErrors;

    public void Add(PacketCounters other)
    {
        RtpReceived += other.RtpReceived;
        RtpSent += other.RtpSent;
        Relayed += other.Relayed;
        RtcpReceived += other.RtcpReceived;
        RtcpSent += other.RtcpSent;
        Malformed += other.Malformed;
        UnknownPayloadType += other.UnknownPayloadType;
        Ignored += other.Ignored;
        RejectedSource += other.RejectedSource;
        SendErrors += other.SendErrors;
    }
}
