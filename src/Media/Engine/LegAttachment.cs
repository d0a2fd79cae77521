using Hotline.Media.Dtmf;
using Hotline.Media.Rtp;

namespace Hotline.Media.Engine;

/// <summary>
/// What a leg's media is connected to: a two-party bridge or a conference room. A leg has at most one.
/// Every member runs on the attachment's worker, so these calls need no locks.
/// </summary>
internal abstract class LegAttachment
{
    /// <summary>An audio packet from <paramref name="from"/>, on arrival (relaying forwards it here).</summary>
    internal abstract void OnAudio(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now);

    /// <summary>A telephone-event packet from <paramref name="from"/>, on arrival.</summary>
    internal abstract void OnEventPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> payload, TimeSpan now);

    /// <summary>A key went down or came up on <paramref name="from"/> (RFC 4733 or its timeout).</summary>
    internal abstract void OnDigitEvent(RtpLeg from, in DtmfDigitEvent digit, TimeSpan now);

    /// <summary>Once per engine tick, after every leg pulled its received frame and before they send theirs.</summary>
    internal abstract void Tick(TimeSpan now, long tick);

    /// <summary>A member's negotiation changed (codec, direction): re-plan relaying or transcoding.</summary>
    internal abstract void OnLegChanged(RtpLeg leg, TimeSpan now);

    /// <summary>A member is closing: forget it.</summary>
    internal abstract void OnLegClosed(RtpLeg leg);
}
