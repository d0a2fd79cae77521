using System.Net;

namespace Hotline.Media.Engine;

/// <summary>Where a leg's outgoing packets go: its own RTP and RTCP sockets, or a capture in tests.</summary>
internal interface IRtpSink
{
    /// <summary>Sends one RTP packet from the leg's RTP port; false when the socket refused it (counted by the caller).</summary>
    bool SendRtp(ReadOnlySpan<byte> packet, SocketAddress destination);

    /// <summary>Sends one RTCP compound packet from the leg's RTCP port.</summary>
    bool SendRtcp(ReadOnlySpan<byte> packet, SocketAddress destination);
}
