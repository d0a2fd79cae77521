using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Calls;

/// <summary>
/// The RTP inactivity timeout: a phone that lost power or network, or a trunk that dropped the call without
/// a BYE, leaves an answered call up with nobody on it, holding an agent, a trunk channel and a recording
/// until the session timer or the maximum duration ends it. Every answered call checks that each party is
/// still sending (RTP or RTCP) and hangs up when one has been silent for Calls:RtpTimeoutSeconds, or for
/// Calls:RtpHoldTimeoutSeconds while that party holds the call (many phones send nothing on hold).
/// </summary>
internal sealed partial class Call
{
    private readonly Dictionary<IMediaLeg, HeardState> _heard = [];
    // Made once when the watch is armed: the timer posts the same delegate every time, so a held call
    // allocates nothing between looks (a new delegate per look would be garbage, and stored in the
    // call's queue it would make the call's old objects point at young ones until the next collection).
    private Action? _checkMedia;

    /// <summary>What a leg had heard when last looked at, since when, and whether it was expected to send then.</summary>
    private readonly record struct HeardState(long Packets, long Since, bool PeerSends);

    private void ArmMediaWatch()
    {
        var o = _ctx.Options;
        if (_mediaWatch is not null || (o.RtpTimeoutSeconds == 0 && o.RtpHoldTimeoutSeconds == 0)) return;
        var shortest = Math.Min(o.RtpTimeoutSeconds == 0 ? int.MaxValue : o.RtpTimeoutSeconds,
            o.RtpHoldTimeoutSeconds == 0 ? int.MaxValue : o.RtpHoldTimeoutSeconds);
        // A quarter of the timeout between looks: silence is noticed within 1.25 timeouts, at a cost of one
        // counter read per leg every few seconds.
        var period = TimeSpan.FromSeconds(Math.Max(0.25, shortest / 4.0));
        _checkMedia = CheckMedia;
        _heard.EnsureCapacity(2);
        _mediaWatch = _ctx.Time.CreateTimer(static s => ((Call)s!).Post(((Call)s!)._checkMedia!), this, period, period);
    }

    private void CheckMedia()
    {
        if (State != CallState.Answered) return;
        var now = _ctx.Time.GetTimestamp();
        if (SilentParty(_a, now) is { } a) TimeOutMedia(a.Leg, a.Silence);
        else if (SilentParty(_b, now) is { } b) TimeOutMedia(b.Leg, b.Silence);
    }

    /// <summary>The leg and how long it has been silent, when that is past its timeout.</summary>
    private (CallLeg Leg, TimeSpan Silence)? SilentParty(CallLeg? leg, long now)
    {
        if (leg is null || leg.Ended) return null;
        var media = leg.Media;
        var packets = media.PacketsHeard;
        var sends = media.PeerSends;
        // Something new, or the first look, or the party held or resumed since: the silence starts over.
        if (!_heard.TryGetValue(media, out var last) || last.Packets != packets || last.PeerSends != sends)
        {
            _heard[media] = new HeardState(packets, now, sends);
            return null;
        }
        var limit = sends ? _ctx.Options.RtpTimeoutSeconds : _ctx.Options.RtpHoldTimeoutSeconds;
        var silence = _ctx.Time.GetElapsedTime(last.Since, now);
        return limit > 0 && silence >= TimeSpan.FromSeconds(limit) ? (leg, silence) : null;
    }

    private void TimeOutMedia(CallLeg leg, TimeSpan silence)
    {
        _logger.LogWarning("call {CallId}: no RTP or RTCP from {Peer} for {Seconds:0} s{Held}, hanging up",
            Id, leg.Peer, silence.TotalSeconds, leg.Media.PeerSends ? "" : " (on hold)");
        _manager.CountRtpTimeout();
        Hangup(null, "SIP;cause=408;text=\"RTP timeout\"");
    }
}
