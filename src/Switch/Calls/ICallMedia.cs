namespace Hotline.Switch.Calls;

/// <summary>Sounds the switch plays into a call leg on its own.</summary>
public enum CallSound { Ringback, Busy, Congestion, MusicOnHold }

/// <summary>An SDP body (text) or the reason none could be made (for a 488 Not Acceptable Here).</summary>
public sealed record SdpResult(string? Sdp, string? Error)
{
    public bool Ok => Sdp is not null;
}

/// <summary>Packet and quality counters of one leg, for CDRs and the live view.</summary>
public sealed record MediaLegStats(string? Codec, long PacketsReceived, long PacketsSent, long PacketsLost, double JitterMs, string? RemoteRtp);

/// <summary>
/// What call control needs from the media engine. Signalling speaks SDP text here, so the call
/// layer neither knows how media is moved nor needs a media engine in its unit tests.
/// </summary>
public interface ICallMedia
{
    /// <summary>
    /// A new RTP endpoint on the switch for one call leg, placed beside <paramref name="near"/> (another leg
    /// of the same call, which it will be bridged with) when given; throws <see cref="MediaUnavailableException"/>
    /// when no port is free.
    /// </summary>
    IMediaLeg CreateLeg(string label, IMediaLeg? near = null);

    /// <summary>
    /// Connects two legs: each hears the other, relayed without decoding when both use the same codec,
    /// transcoded otherwise. With a recording path, the call is written to a stereo WAV, caller left,
    /// callee right.
    /// </summary>
    IMediaBridge Bridge(IMediaLeg caller, IMediaLeg callee, string? recordingPath);
}

public interface IMediaLeg : IAsyncDisposable
{
    string Label { get; }

    /// <summary>Our SDP offer for this leg; <paramref name="preferCodec"/> (an rtpmap name) goes first to avoid transcoding.</summary>
    string CreateOffer(string? preferCodec = null, bool hold = false);

    /// <summary>Our answer to the peer's offer, codec chosen by our preference; an error when nothing fits.</summary>
    SdpResult AnswerOffer(string offer, bool hold = false);

    /// <summary>Applies the peer's answer to our last offer; null when accepted, else why not.</summary>
    string? ApplyAnswer(string answer);

    /// <summary>The negotiated codec's rtpmap name, or null before negotiation.</summary>
    string? Codec { get; }

    /// <summary>The peer put us on hold (its SDP says sendonly or inactive, or c=0.0.0.0).</summary>
    bool RemoteHold { get; }

    /// <summary>The negotiation has the peer sending to us, not holding: silence from it means it is gone.</summary>
    bool PeerSends { get; }

    /// <summary>Valid RTP and RTCP packets from the peer so far (for the inactivity timeout); readable from any thread.</summary>
    long PacketsHeard { get; }

    /// <summary>Plays a sound into the leg in place of whatever the bridge sends, until stopped.</summary>
    void Play(CallSound sound);

    /// <summary>Plays a prompt file (WAV, any common format) once, in place of the bridge's audio.</summary>
    void PlayPrompt(string path);

    void StopPlayback();

    /// <summary>A DTMF digit from the peer, by RFC 4733 or detected in-band.</summary>
    event Action<IMediaLeg, char>? Dtmf;

    /// <summary>Sends a digit the way the peer negotiated (RFC 4733, else in-band tones).</summary>
    void SendDtmf(char digit);

    MediaLegStats Stats { get; }
}

public interface IMediaBridge : IAsyncDisposable
{
    bool Transcoding { get; }
    string? RecordingPath { get; }
}

public sealed class MediaUnavailableException(string message) : Exception(message);
