using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Sdp;

namespace Hotline.Media.Tests.Sdp;

public class SdpNegotiatorTests
{
    private static readonly AudioCodecInfo Opus = new("opus", 48000, 48000, -1, 2);
    private static readonly AudioCodecInfo G722 = new("G722", 8000, 16000, 9);
    private static readonly AudioCodecInfo Pcma = new("PCMA", 8000, 8000, 8);
    private static readonly AudioCodecInfo Pcmu = new("PCMU", 8000, 8000, 0);
    private static readonly IPAddress Local = IPAddress.Parse("10.1.1.1");

    private static SdpNegotiator Negotiator(params AudioCodecInfo[] codecs) => new(new SdpNegotiatorOptions { Codecs = codecs });

    private static SdpAnswerResult AnswerOf(string offer, SdpNegotiator? negotiator = null, SdpDirection local = SdpDirection.SendRecv) =>
        (negotiator ?? Negotiator(G722, Pcma, Pcmu)).Answer(offer, Local, 30000, local);

    [Fact]
    public void Offer_lists_our_codecs_in_order_with_dynamic_types_and_telephone_events_per_clock_rate()
    {
        var offer = Negotiator(Opus, G722, Pcma, Pcmu).CreateOffer(Local, 20000, sessionId: 7, sessionVersion: 1);
        string text = offer.ToString();
        Assert.Equal("""
            v=0
            o=hotline 7 1 IN IP4 10.1.1.1
            s=Hotline
            c=IN IP4 10.1.1.1
            t=0 0
            m=audio 20000 RTP/AVP 96 9 8 0 101 97
            a=rtpmap:96 opus/48000/2
            a=rtpmap:9 G722/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:101 telephone-event/8000
            a=fmtp:101 0-16
            a=rtpmap:97 telephone-event/48000
            a=fmtp:97 0-16
            a=ptime:20
            a=sendrecv

            """.ReplaceLineEndings("\r\n"), text);
        Assert.Equal(text, SessionDescription.Parse(text).ToString());
    }

    [Fact]
    public void Ipv6_offer_uses_IN_IP6()
    {
        var offer = Negotiator(Pcma).CreateOffer(IPAddress.Parse("2001:db8::1"), 20000);
        Assert.Contains("c=IN IP6 2001:db8::1\r\n", offer.ToString());
        Assert.Contains("o=hotline 0 0 IN IP6 2001:db8::1\r\n", offer.ToString());
    }

    [Fact]
    public void Answers_the_sipp_offer_with_PCMA_and_telephone_event_101()
    {
        var result = AnswerOf(SdpSamples.FromSippScenario("uac-basic.xml") ?? SdpSamples.SippUac);
        Assert.True(result.IsAccepted, result.RejectReason);
        var media = result.Media!;
        Assert.Equal(Pcma, media.Codec);
        Assert.Equal(8, media.PayloadType);
        Assert.Equal(101, media.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 17000), media.RemoteRtp);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 17001), media.RemoteRtcp);
        Assert.Equal(SdpDirection.SendRecv, media.Direction);
        Assert.False(media.RemoteHold);
        Assert.Equal(20, media.Ptime);

        var answer = result.Answer!.Media.Single();
        Assert.Equal(30000, answer.Port);
        Assert.Equal([8, 101], answer.PayloadTypes);
        Assert.Equal("0-16", answer.GetFmtp(101));
        Assert.Equal(SdpDirection.SendRecv, answer.Direction);
        Assert.Equal(Local, result.Answer.Connection!.IPAddress);
    }

    [Fact]
    public void Our_preference_wins_over_the_offerers_order()
    {
        // The SBC prefers PCMA; we prefer PCMU here, and PCMU is offered, so PCMU it is.
        var media = AnswerOf(SdpSamples.CarrierSbc, Negotiator(Pcmu, Pcma)).Media!;
        Assert.Equal(Pcmu, media.Codec);
        Assert.Equal(0, media.PayloadType);
        Assert.Equal(101, media.TelephoneEventPayloadType);

        // With our usual G722, PCMA, PCMU preference the SBC's PCMA is taken (no G722 offered).
        Assert.Equal(Pcma, AnswerOf(SdpSamples.CarrierSbc).Media!.Codec);
    }

    [Fact]
    public void Baresip_and_asterisk_offers_get_the_best_common_codec()
    {
        Assert.Equal(Pcma, AnswerOf(SdpSamples.Baresip, Negotiator(G722, Pcma, Pcmu)).Media!.Codec);
        var asterisk = AnswerOf(SdpSamples.Asterisk).Media!;
        Assert.Equal(Pcma, asterisk.Codec);
        Assert.Equal(101, asterisk.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.168.1.10"), 14562), asterisk.RemoteRtp);
    }

    [Fact]
    public void Dynamic_payload_numbers_of_the_offerer_are_kept_and_events_match_the_codec_rate()
    {
        var opus = AnswerOf(SdpSamples.FreeSwitch, Negotiator(Opus, G722, Pcma)).Media!;
        Assert.Equal(Opus, opus.Codec);
        Assert.Equal(102, opus.PayloadType);
        Assert.Equal(103, opus.TelephoneEventPayloadType); // telephone-event/48000 goes with opus
        Assert.StartsWith("useinbandfec=1", opus.CodecFmtp);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.21"), 16385), opus.RemoteRtcp); // a=rtcp with address

        var g722 = AnswerOf(SdpSamples.FreeSwitch, Negotiator(G722, Opus)).Media!;
        Assert.Equal(G722, g722.Codec);
        Assert.Equal(101, g722.TelephoneEventPayloadType);
    }

    [Fact]
    public void Ipv6_offer_gives_an_ipv6_remote_endpoint()
    {
        var result = AnswerOf(SdpSamples.Ipv6);
        Assert.Equal(G722, result.Media!.Codec);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8::10"), 40000), result.Media.RemoteRtp);
    }

    [Theory]
    [InlineData("sendonly", SdpDirection.RecvOnly, true)]
    [InlineData("inactive", SdpDirection.Inactive, true)]
    [InlineData("recvonly", SdpDirection.SendOnly, false)]
    [InlineData("sendrecv", SdpDirection.SendRecv, false)]
    public void Answer_direction_follows_RFC3264_6_1_and_hold_is_detected(string offered, SdpDirection answered, bool hold)
    {
        var result = AnswerOf(SdpSamples.Hold(offered));
        Assert.Equal(answered, result.Media!.Direction);
        Assert.Equal(answered, result.Answer!.Media[0].Direction);
        Assert.Equal(hold, result.Media.RemoteHold);
    }

    [Fact]
    public void Old_style_hold_with_a_zero_address_is_hold_and_gives_no_endpoint()
    {
        var result = AnswerOf(SdpSamples.OldStyleHold);
        Assert.True(result.Media!.RemoteHold);
        Assert.Null(result.Media.RemoteRtp);
        Assert.Equal(SdpDirection.RecvOnly, result.Media.Direction);
    }

    [Fact]
    public void Our_own_hold_limits_the_answer()
    {
        var result = AnswerOf(SdpSamples.Asterisk, local: SdpDirection.SendOnly);
        Assert.Equal(SdpDirection.SendOnly, result.Answer!.Media[0].Direction);
    }

    [Fact]
    public void Video_is_rejected_with_port_zero_and_audio_accepted_in_place()
    {
        var result = AnswerOf(SdpSamples.AudioAndVideo);
        Assert.Equal(2, result.Answer!.Media.Count);
        var video = result.Answer.Media[0];
        Assert.Equal(("video", 0, "RTP/AVP"), (video.Media, video.Port, video.Protocol));
        Assert.Equal(["96"], video.Formats);
        Assert.Equal(30000, result.Answer.Media[1].Port);
        Assert.Equal(1, result.Media!.MediaIndex);
        Assert.Equal(Pcmu, result.Media.Codec);
        // The answer is itself valid SDP.
        Assert.True(SessionDescription.TryParse(result.Answer.ToString(), out _, out var error), error?.ToString());
    }

    [Fact]
    public void Srtp_only_offer_is_rejected_with_a_reason()
    {
        var result = AnswerOf(SdpSamples.SrtpOnly);
        Assert.False(result.IsAccepted);
        Assert.Contains("SRTP", result.RejectReason);
        Assert.Contains("RTP/SAVP", result.RejectReason);
    }

    [Fact]
    public void No_common_codec_gives_a_reason_naming_both_sides()
    {
        var result = AnswerOf(SdpSamples.G729Only);
        Assert.False(result.IsAccepted);
        Assert.Equal("No common codec: offered G729/8000, G723/8000; supported G722/8000, PCMA/8000, PCMU/8000", result.RejectReason);
    }

    [Fact]
    public void Malformed_offer_is_rejected_naming_the_line()
    {
        var result = AnswerOf("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n");
        Assert.False(result.IsAccepted);
        Assert.Contains("line 6", result.RejectReason);
        Assert.Contains("a=rtpmap", result.RejectReason);
    }

    [Fact]
    public void Telephone_events_are_left_out_when_none_match_the_codec_rate()
    {
        var result = AnswerOf(SdpSamples.StaticWithoutRtpmap);
        Assert.Equal(Pcmu, result.Media!.Codec);
        Assert.Null(result.Media.TelephoneEventPayloadType);
        Assert.Equal([0], result.Answer!.Media[0].PayloadTypes);
    }

    [Fact]
    public void Answer_from_sipp_uas_to_our_offer_is_processed()
    {
        var negotiator = Negotiator(Pcmu, Pcma);
        var offer = negotiator.CreateOffer(Local, 20000);
        var answer = SessionDescription.Parse(SdpSamples.FromSippScenario("uas-echo.xml") ?? SdpSamples.SippUasAnswer);
        var outcome = negotiator.ProcessAnswer(offer, answer);
        Assert.True(outcome.IsAccepted, outcome.FailureReason);
        // The answerer's first format is what it will use (RFC 3264 §6.1), whatever our order was.
        Assert.Equal(Pcma, outcome.Media!.Codec);
        Assert.Equal(101, outcome.Media.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 16000), outcome.Media.RemoteRtp);
        Assert.Equal(SdpDirection.SendRecv, outcome.Media.Direction);
    }

    [Fact]
    public void Offer_and_answer_between_two_negotiators_agree()
    {
        var caller = Negotiator(Opus, G722, Pcma, Pcmu);
        var callee = Negotiator(Pcmu, G722);
        var offer = caller.CreateOffer(Local, 20000, SdpDirection.SendOnly);
        var answered = callee.Answer(SessionDescription.Parse(offer.ToString()), IPAddress.Parse("10.2.2.2"), 40000);
        Assert.True(answered.IsAccepted);
        Assert.Equal(Pcmu, answered.Media!.Codec);
        Assert.Equal(SdpDirection.RecvOnly, answered.Media.Direction);
        Assert.True(answered.Media.RemoteHold);

        var outcome = caller.ProcessAnswer(offer, SessionDescription.Parse(answered.Answer!.ToString()));
        Assert.Equal(Pcmu, outcome.Media!.Codec);
        Assert.Equal(0, outcome.Media.PayloadType);
        Assert.Equal(101, outcome.Media.TelephoneEventPayloadType);
        Assert.Equal(SdpDirection.SendOnly, outcome.Media.Direction);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.2.2.2"), 40000), outcome.Media.RemoteRtp);
    }

    [Fact]
    public void A_rejected_audio_stream_in_the_answer_fails_our_offer()
    {
        var negotiator = Negotiator(Pcma);
        var offer = negotiator.CreateOffer(Local, 20000);
        var answer = SessionDescription.Parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=audio 0 RTP/AVP 8\r\n");
        var outcome = negotiator.ProcessAnswer(offer, answer);
        Assert.False(outcome.IsAccepted);
        Assert.Contains("port 0", outcome.FailureReason);
    }
}
