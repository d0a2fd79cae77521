using System.Net;
using Hotline.Media.Codecs;

namespace Hotline.Media.Sdp;

/// <summary>What we can do and prefer, for offers and answers.</summary>
public sealed record SdpNegotiatorOptions
{
    /// <summary>Our codecs, most preferred first.</summary>
    public required IReadOnlyList<AudioCodecInfo> Codecs { get; init; }

    /// <summary>Packet time we ask for (a=ptime) and send with when the peer states none.</summary>
    public int Ptime { get; init; } = 20;

    /// <summary>a=maxptime to announce, or null for none.</summary>
    public int? MaxPtime { get; init; }

    /// <summary>Offer and accept RFC 4733 telephone-event.</summary>
    public bool TelephoneEvents { get; init; } = true;

    /// <summary>Payload type for telephone-event/8000 in our offers (101 by wide convention).</summary>
    public int TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>First payload type handed to dynamic codecs in our offers (RFC 3551: 96-127).</summary>
    public int FirstDynamicPayloadType { get; init; } = 96;

    public string UserName { get; init; } = "hotline";
    public string SessionName { get; init; } = "Hotline";
}

/// <summary>The outcome for the audio stream: what to send and receive, and where.</summary>
/// <param name="Codec">The chosen codec (our <see cref="AudioCodecInfo"/>).</param>
/// <param name="PayloadType">Its payload type on this call (the offerer's number).</param>
/// <param name="CodecFmtp">Its format parameters from the peer, if any.</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 payload type, or null: DTMF must then be detected in-band.</param>
/// <param name="Ptime">Packet time to send with, in milliseconds.</param>
/// <param name="RemoteRtp">Where to send RTP; null when the peer gave none (c=0.0.0.0 hold).</param>
/// <param name="RemoteRtcp">Where to send RTCP (a=rtcp, RFC 3605, else RTP port + 1).</param>
/// <param name="Direction">What WE do: send, receive, both or neither.</param>
/// <param name="RemoteHold">The peer put the call on hold (sendonly/inactive, or the old c=0.0.0.0 form).</param>
/// <param name="MediaIndex">Index of the m= line that carries the audio.</param>
public sealed record MediaNegotiation(
    AudioCodecInfo Codec, int PayloadType, string? CodecFmtp,
    int? TelephoneEventPayloadType, int Ptime,
    IPEndPoint? RemoteRtp, IPEndPoint? RemoteRtcp,
    SdpDirection Direction, bool RemoteHold, int MediaIndex);

/// <summary>The result of answering an offer: an answer and its negotiation, or a reason to reject (488).</summary>
public sealed record SdpAnswerResult(SessionDescription? Answer, MediaNegotiation? Media, string? RejectReason)
{
    public bool IsAccepted => Answer is not null;
}

/// <summary>The result of processing the answer to our offer.</summary>
public sealed record SdpOfferOutcome(MediaNegotiation? Media, string? FailureReason)
{
    public bool IsAccepted => Media is not null;
}
