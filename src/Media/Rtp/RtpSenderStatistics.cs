namespace Hotline.Media.Rtp;

/// <summary>What we sent on a stream, for the sender info of our SR (RFC 3550 §6.4.1).</summary>
public sealed class RtpSenderStatistics
{
    /// <summary>Packets sent since the stream (or its SSRC) started.</summary>
    public uint PacketCount { get; private set; }

    /// <summary>Payload octets sent (headers and padding excluded, §6.4.1).</summary>
    public uint OctetCount { get; private set; }

    /// <summary>RTP timestamp of the last packet sent.</summary>
    public uint LastTimestamp { get; private set; }

    /// <summary>Monotonic time the last packet was sent.</summary>
    public TimeSpan LastSent { get; private set; }

    /// <summary>True once at least one packet went out.</summary>
    public bool HasSent => PacketCount > 0;

    public void OnPacketSent(in RtpHeader header, TimeSpan now)
    {
        PacketCount++;
        OctetCount += (uint)header.PayloadLength;
        LastTimestamp = header.Timestamp;
        LastSent = now;
    }

    /// <summary>Our SSRC changed (collision): the counts restart (§8.2).</summary>
    public void Reset()
    {
        PacketCount = 0;
        OctetCount = 0;
        LastTimestamp = 0;
        LastSent = default;
    }
}
