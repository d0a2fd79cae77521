namespace Hotline.Media.Engine;

/// <summary>
/// The RTCP transmission interval of RFC 3550 §6.3.1 (rtcp_interval() of Appendix A.7) for a unicast
/// session: bandwidth share per member, a minimum of Tmin (halved before the first report so a new
/// participant is heard from quickly, §6.2), then randomised over [0.5, 1.5] so reports of many sessions
/// do not synchronise, and divided by e - 3/2 to compensate for timer reconsideration's bias.
/// </summary>
internal static class RtcpInterval
{
    private const double Compensation = 2.71828 - 1.5;

    /// <param name="members">Participants in the session (2 for a call leg: the peer and us).</param>
    /// <param name="senders">Participants that sent RTP since the last report.</param>
    /// <param name="rtcpBandwidth">RTCP bandwidth in octets per second (5 % of the session bandwidth, §6.2).</param>
    /// <param name="weSent">We sent RTP since the last report.</param>
    /// <param name="averageRtcpSize">Average compound packet size in octets, UDP and IP headers included.</param>
    /// <param name="initial">No report sent yet.</param>
    /// <param name="minimum">Tmin (5 s by default).</param>
    /// <param name="random">A value in [0, 1) for the randomisation.</param>
    public static TimeSpan Next(int members, int senders, double rtcpBandwidth, bool weSent, double averageRtcpSize,
        bool initial, TimeSpan minimum, double random)
    {
        // §6.3.1: senders get a quarter of the RTCP bandwidth when they are fewer than a quarter of members.
        const double senderShare = 0.25;
        double tMin = minimum.TotalSeconds;
        if (initial)
            tMin /= 2;
        int n = members;
        if (senders > 0 && senders <= members * senderShare)
        {
            if (weSent)
            {
                rtcpBandwidth *= senderShare;
                n = senders;
            }
            else
            {
                rtcpBandwidth *= 1 - senderShare;
                n -= senders;
            }
        }
        double t = Math.Max(averageRtcpSize * n / rtcpBandwidth, tMin);
        t *= random + 0.5;
        t /= Compensation;
        return TimeSpan.FromSeconds(t);
    }
}
