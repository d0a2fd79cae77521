using System.Globalization;
using System.Net;
using Hotline.Media.Codecs;

namespace Hotline.Media.Sdp;

/// <summary>
/// SDP offer/answer for one audio stream (RFC 3264): makes offers from our codec preferences, answers
/// offers choosing by OUR preference among what is offered, and reads the answers to our offers.
/// Stateless: the caller keeps the offer it sent and the session versions.
/// </summary>
public sealed class SdpNegotiator
{
    private const string TelephoneEvent = "telephone-event";
    private const string TelephoneEventRange = "0-16";
    private readonly SdpNegotiatorOptions _options;

    public SdpNegotiator(SdpNegotiatorOptions options)
    {
        if (options.Codecs.Count == 0) throw new ArgumentException("at least one codec is needed", nameof(options));
        _options = options;
    }

    /// <summary>
    /// An offer: one audio stream at <paramref name="address"/>:<paramref name="port"/> with our codecs in
    /// preference order (static payload types where RFC 3551 has them, dynamic ones from 96 otherwise), a
    /// telephone-event for every clock rate among them (8000 first as 101), ptime and direction.
    /// </summary>
    public SessionDescription CreateOffer(IPAddress address, int port, SdpDirection direction = SdpDirection.SendRecv,
        ulong sessionId = 0, ulong sessionVersion = 0)
    {
        var sdp = NewSession(address, sessionId, sessionVersion);
        var media = new MediaDescription("audio", port, "RTP/AVP", []);
        var used = new HashSet<int>(_options.Codecs.Where(c => c.StaticPayloadType >= 0).Select(c => c.StaticPayloadType));
        if (_options.TelephoneEvents) used.Add(_options.TelephoneEventPayloadType);
        int nextDynamic = _options.FirstDynamicPayloadType;
        int NextDynamic()
        {
            while (used.Contains(nextDynamic)) nextDynamic++;
            if (nextDynamic > 127) throw new InvalidOperationException("more codecs than dynamic payload types");
            used.Add(nextDynamic);
            return nextDynamic;
        }

        foreach (var codec in _options.Codecs)
        {
            int pt = codec.StaticPayloadType >= 0 ? codec.StaticPayloadType : NextDynamic();
            media.Formats.Add(pt.ToString(CultureInfo.InvariantCulture));
            media.AddRtpMap(new SdpRtpMap(pt, codec.Name, codec.ClockRate, codec.Channels));
        }
        if (_options.TelephoneEvents)
        {
            // RFC 4733 §7.1.1: events use the clock rate of the audio they go with, so one per rate.
            foreach (int rate in _options.Codecs.Select(c => c.ClockRate).Distinct().OrderBy(r => r != 8000).ThenBy(r => r))
            {
                int pt = rate == 8000 ? _options.TelephoneEventPayloadType : NextDynamic();
                media.Formats.Add(pt.ToString(CultureInfo.InvariantCulture));
                media.AddRtpMap(new SdpRtpMap(pt, TelephoneEvent, rate), TelephoneEventRange);
            }
        }
        media.Ptime = _options.Ptime;
        media.MaxPtime = _options.MaxPtime;
        media.Direction = direction;
        sdp.Media.Add(media);
        return sdp;
    }

    /// <summary>Parses and answers an offer; a malformed body is rejected with the parser's line and field.</summary>
    public SdpAnswerResult Answer(string offer, IPAddress address, int port, SdpDirection localDirection = SdpDirection.SendRecv,
        ulong sessionId = 0, ulong sessionVersion = 0)
    {
        if (!SessionDescription.TryParse(offer, out var sdp, out var error))
            return new SdpAnswerResult(null, null, $"Malformed SDP: {error}");
        return Answer(sdp!, address, port, localDirection, sessionId, sessionVersion);
    }

    /// <summary>
    /// Answers an offer (RFC 3264 §6): the first audio stream we can serve is accepted with the codec we
    /// prefer among those offered (keeping the offerer's payload type numbers); every other stream is
    /// rejected with port 0. <paramref name="localDirection"/> limits what we want (e.g. sendonly to hold).
    /// </summary>
    public SdpAnswerResult Answer(SessionDescription offer, IPAddress address, int port,
        SdpDirection localDirection = SdpDirection.SendRecv, ulong sessionId = 0, ulong sessionVersion = 0)
    {
        var answer = NewSession(address, sessionId, sessionVersion);
        MediaNegotiation? chosen = null;
        string? firstProblem = null;

        for (int index = 0; index < offer.Media.Count; index++)
        {
            var offered = offer.Media[index];
            string? problem = chosen is not null ? "only one audio stream is used" : WhyNot(offered);
            Choice? choice = null;
            if (problem is null)
            {
                choice = Choose(offered, out problem);
            }
            if (choice is null)
            {
                firstProblem ??= offered.IsAudio && offered.Port != 0 ? problem : null;
                answer.Media.Add(Rejected(offered));
                continue;
            }

            var remoteDirection = EffectiveOfferDirection(offer, offered, out bool oldStyleHold);
            var ourDirection = remoteDirection.Reverse().Intersect(localDirection);
            var media = new MediaDescription(offered.Media, port, offered.Protocol, []);
            AddFormats(media, offered, choice.Value);
            media.Ptime = _options.Ptime;
            media.MaxPtime = _options.MaxPtime;
            media.Direction = ourDirection;
            answer.Media.Add(media);
            chosen = Negotiation(offer, offered, index, choice.Value, ourDirection,
                remoteHold: oldStyleHold || !remoteDirection.Receives());
        }

        if (chosen is null)
        {
            string reason = firstProblem ?? (offer.Media.Count == 0 ? "no media stream offered" : "no audio stream offered");
            return new SdpAnswerResult(null, null, reason);
        }
        return new SdpAnswerResult(answer, chosen, null);
    }

    /// <summary>
    /// Reads the answer to <paramref name="offer"/>, our offer (RFC 3264 §7): the audio stream's codec and
    /// payload type as the answerer chose, its telephone-event, address and direction.
    /// </summary>
    public SdpOfferOutcome ProcessAnswer(SessionDescription offer, SessionDescription answer)
    {
        if (answer.Media.Count != offer.Media.Count)
            return new SdpOfferOutcome(null, $"answer has {answer.Media.Count} media streams, the offer had {offer.Media.Count} (RFC 3264 §6)");
        for (int index = 0; index < offer.Media.Count; index++)
        {
            var ours = offer.Media[index];
            if (!ours.IsAudio || ours.Port == 0) continue;
            var theirs = answer.Media[index];
            if (theirs.Port == 0) return new SdpOfferOutcome(null, "the answer rejected the audio stream (port 0)");
            if (!theirs.Protocol.Equals(ours.Protocol, StringComparison.OrdinalIgnoreCase))
                return new SdpOfferOutcome(null, $"the answer changed the transport from {ours.Protocol} to {theirs.Protocol}");

            // The answerer lists what it will use; the first format that is one of our codecs wins.
            Choice? choice = null;
            foreach (int pt in theirs.PayloadTypes)
            {
                var map = theirs.GetRtpMap(pt) ?? ours.GetRtpMap(pt);
                var codec = map is null ? null : _options.Codecs.FirstOrDefault(c => Matches(c, map));
                if (codec is null) continue;
                choice = new Choice(codec, pt, theirs.GetFmtp(pt), FindTelephoneEvent(theirs, codec.ClockRate));
                break;
            }
            if (choice is null) return new SdpOfferOutcome(null, "the answer holds none of the codecs we offered");

            var theirDirection = EffectiveOfferDirection(answer, theirs, out bool oldStyleHold);
            var ourDirection = (ours.Direction ?? offer.Direction ?? SdpDirection.SendRecv).Intersect(theirDirection.Reverse());
            return new SdpOfferOutcome(Negotiation(answer, theirs, index, choice.Value, ourDirection,
                remoteHold: oldStyleHold || !theirDirection.Receives()), null);
        }
        return new SdpOfferOutcome(null, "our offer had no audio stream");
    }

    private readonly record struct Choice(AudioCodecInfo Codec, int PayloadType, string? Fmtp, int? TelephoneEventPayloadType);

    private static string? WhyNot(MediaDescription offered)
    {
        if (!offered.IsAudio) return $"{offered.Media} is not supported";
        if (offered.Port == 0) return "stream disabled by the offerer";
        if (offered.IsSecureRtp) return $"SRTP ({offered.Protocol}) is not supported; offer RTP/AVP";
        if (!offered.IsPlainRtp) return $"transport {offered.Protocol} is not supported";
        return null;
    }

    private Choice? Choose(MediaDescription offered, out string? problem)
    {
        var offeredMaps = offered.PayloadTypes.Select(pt => (Pt: pt, Map: offered.GetRtpMap(pt))).ToList();
        foreach (var codec in _options.Codecs)
        {
            foreach (var (pt, map) in offeredMaps)
            {
                if (map is null || !Matches(codec, map)) continue;
                problem = null;
                return new Choice(codec, pt, offered.GetFmtp(pt), FindTelephoneEvent(offered, codec.ClockRate));
            }
        }
        string offeredNames = string.Join(", ", offeredMaps.Select(o => o.Map is null ? $"PT {o.Pt}" : $"{o.Map.EncodingName}/{o.Map.ClockRate}"));
        string ourNames = string.Join(", ", _options.Codecs.Select(c => $"{c.Name}/{c.ClockRate}"));
        problem = $"No common codec: offered {offeredNames}; supported {ourNames}";
        return null;
    }

    private int? FindTelephoneEvent(MediaDescription media, int clockRate)
    {
        if (!_options.TelephoneEvents) return null;
        foreach (int pt in media.PayloadTypes)
        {
            var map = media.GetRtpMap(pt);
            if (map is not null && map.EncodingName.Equals(TelephoneEvent, StringComparison.OrdinalIgnoreCase) && map.ClockRate == clockRate)
                return pt;
        }
        return null;
    }

    private static bool Matches(AudioCodecInfo codec, SdpRtpMap map) =>
        map.EncodingName.Equals(codec.Name, StringComparison.OrdinalIgnoreCase)
        && map.ClockRate == codec.ClockRate
        && map.Channels == codec.Channels;

    private static void AddFormats(MediaDescription media, MediaDescription offered, Choice choice)
    {
        media.Formats.Add(choice.PayloadType.ToString(CultureInfo.InvariantCulture));
        media.AddRtpMap(new SdpRtpMap(choice.PayloadType, choice.Codec.Name, choice.Codec.ClockRate, choice.Codec.Channels), choice.Fmtp);
        if (choice.TelephoneEventPayloadType is int te)
        {
            media.Formats.Add(te.ToString(CultureInfo.InvariantCulture));
            media.AddRtpMap(offered.GetRtpMap(te)!, TelephoneEventRange);
        }
    }

    /// <summary>
    /// The direction the peer stated, counting the RFC 2543 hold (c=0.0.0.0) as "do not send to me"
    /// (RFC 3264 §8.4).
    /// </summary>
    private static SdpDirection EffectiveOfferDirection(SessionDescription session, MediaDescription media, out bool oldStyleHold)
    {
        var direction = media.EffectiveDirection(session);
        oldStyleHold = media.EffectiveConnection(session)?.IsHoldAddress == true;
        if (oldStyleHold) direction &= ~SdpDirection.RecvOnly;
        return direction;
    }

    private MediaNegotiation Negotiation(SessionDescription session, MediaDescription media, int index, Choice choice,
        SdpDirection ourDirection, bool remoteHold)
    {
        IPEndPoint? rtp = null, rtcp = null;
        var ip = media.EffectiveConnection(session)?.IPAddress;
        if (ip is not null && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) && media.Port != 0)
        {
            rtp = new IPEndPoint(ip, media.Port);
            rtcp = new IPEndPoint(ip, media.Port + 1);
            // RFC 3605: a=rtcp:<port> [IN IP4 <address>]
            if (media.GetAttribute("rtcp") is { } rtcpAttribute)
            {
                string[] f = rtcpAttribute.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 0 && int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rtcpPort) && rtcpPort <= 65535)
                {
                    var rtcpIp = f.Length == 4 && IPAddress.TryParse(f[3], out var parsed) ? parsed : ip;
                    rtcp = new IPEndPoint(rtcpIp, rtcpPort);
                }
            }
        }
        int ptime = media.Ptime is int requested && requested is >= 10 and <= 120 ? requested : _options.Ptime;
        return new MediaNegotiation(choice.Codec, choice.PayloadType, choice.Fmtp, choice.TelephoneEventPayloadType,
            ptime, rtp, rtcp, ourDirection, remoteHold, index);
    }

    private static MediaDescription Rejected(MediaDescription offered)
    {
        // RFC 3264 §6: a rejected stream keeps its m= line with port 0 and at least one format.
        var rejected = new MediaDescription(offered.Media, 0, offered.Protocol, offered.Formats.Count > 0 ? offered.Formats : ["0"]);
        return rejected;
    }

    private SessionDescription NewSession(IPAddress address, ulong sessionId, ulong sessionVersion)
    {
        var connection = SdpConnection.For(address);
        var origin = new SdpOrigin(_options.UserName, sessionId.ToString(CultureInfo.InvariantCulture),
            sessionVersion.ToString(CultureInfo.InvariantCulture), "IN", connection.AddressType, address.ToString());
        var sdp = new SessionDescription(origin, _options.SessionName) { Connection = connection };
        sdp.Timings.Add(new SdpTiming(0, 0));
        return sdp;
    }
}
