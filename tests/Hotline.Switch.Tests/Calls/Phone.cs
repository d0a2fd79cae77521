using System.Net;
using Hotline.Switch.Auth;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Tests.Calls;

/// <summary>A SIP phone written out by hand: builds the requests and responses a real one would.</summary>
internal sealed class Phone(CallTestKit kit, string number, IPEndPoint address)
{
    private int _seen;
    private uint _cseq = 1;

    public string Number { get; } = number;
    public IPEndPoint Address { get; } = address;
    public string Tag { get; } = SipIds.NewTag();

    /// <summary>Messages the switch sent to this phone since the last call.</summary>
    public List<SipMessage> NewMessages()
    {
        var all = kit.SentTo(Address);
        var fresh = all.Skip(_seen).ToList();
        _seen = all.Count;
        return fresh;
    }

    public async Task<SipMessage> Expect(Func<SipMessage, bool> match, string what)
    {
        SipMessage? found = null;
        await CallTestKit.Until(() =>
        {
            found = kit.SentTo(Address).Skip(_seen).FirstOrDefault(match);
            return found is not null;
        }, $"{Number} to receive {what}");
        _seen = kit.SentTo(Address).IndexOf(found!) + 1;
        return found!;
    }

    public Task<SipMessage> ExpectRequest(SipMethod method) => Expect(m => m.IsRequest && m.Method == method, method.Name());

    public Task<SipMessage> ExpectResponse(int status) => Expect(m => m.IsResponse && m.StatusCode == status, status.ToString());

    /// <summary>Places a call: INVITE, answers the 407 with its password, returns the authenticated INVITE sent.</summary>
    public async Task<SipMessage> Call(string dialled, string? sdp = null, string extra = "", string callId = "")
    {
        callId = callId.Length > 0 ? callId : $"call-{Guid.NewGuid():N}@{Address.Address}";
        CallId = callId;
        var first = Invite(dialled, callId, _cseq++, sdp, extra, null);
        kit.Receive(first, Address);
        var challenge = await ExpectResponse(407);
        var auth = new DigestClient(Number, $"pass{Number}").Answer(challenge, "INVITE", $"sip:{dialled}@hotline")!.Value;
        var second = Invite(dialled, callId, _cseq++, sdp, extra, auth);
        kit.Receive(second, Address);
        Invite_ = second;
        return second;
    }

    /// <summary>Sends an INVITE without credentials and returns it (what comes back is up to the test).</summary>
    public SipMessage SendInvite(string dialled)
    {
        CallId = $"call-{Guid.NewGuid():N}@{Address.Address}";
        var invite = Invite(dialled, CallId, _cseq++, null, "", null);
        kit.Receive(invite, Address);
        return invite;
    }

    public string CallId { get; private set; } = "";
    public SipMessage? Invite_ { get; private set; }

    private SipMessage Invite(string dialled, string callId, uint cseq, string? sdp, string extra, (HeaderId Header, string Value)? auth)
    {
        var w = SipMessageWriter.Request(SipMethod.Invite, $"sip:{dialled}@hotline");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP {Address};branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"\"Phone {Number}\" <sip:{Number}@hotline>;tag={Tag}");
        w.Header(HeaderId.To, $"<sip:{dialled}@hotline>");
        w.Header(HeaderId.CallId, callId);
        w.Header(HeaderId.CSeq, $"{cseq} INVITE");
        w.Header(HeaderId.Contact, $"<sip:{Number}@{Address}>");
        w.Header(HeaderId.Allow, "INVITE, ACK, CANCEL, BYE, UPDATE, REFER, NOTIFY");
        if (extra.Length > 0) w.Append(extra);
        if (auth is { } a) w.Header(a.Header, a.Value);
        return w.Body(sdp ?? FakeLeg.Sdp($"phone{Number}", 16000), "application/sdp").ToMessage();
    }

    /// <summary>Answers a request the switch sent us, with a To tag and optional SDP.</summary>
    public SipMessage Respond(SipMessage request, int status, string? sdp = null, string toTag = "", string extra = "")
    {
        var w = SipResponses.Start(request, status, toTag: toTag.Length > 0 ? toTag : Tag);
        if (status < 300 && status > 100) w.Header(HeaderId.Contact, $"<sip:{Number}@{Address}>");
        if (extra.Length > 0) w.Append(extra);
        var response = sdp is null ? w.NoBody().ToMessage() : w.Body(sdp, "application/sdp").ToMessage();
        kit.Receive(response, Address);
        return response;
    }

    /// <summary>A request inside the dialog established by <paramref name="dialogMessage"/> (one we received or sent).</summary>
    public SipMessage InDialog(SipMethod method, SipMessage dialogMessage, bool weAreCaller, string extra = "", string? sdp = null, uint? cseq = null)
    {
        var target = weAreCaller ? "sip:hotline@127.0.0.1:5060" : "sip:hotline@127.0.0.1:5060";
        var w = SipMessageWriter.Request(method, target);
        w.Header(HeaderId.Via, $"SIP/2.0/UDP {Address};branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        var fromHeader = weAreCaller ? dialogMessage.From : dialogMessage.To;
        var toHeader = weAreCaller ? dialogMessage.To : dialogMessage.From;
        w.Header(HeaderId.From, dialogMessage.Text(fromHeader.Value));
        w.Header(HeaderId.To, dialogMessage.Text(toHeader.Value));
        w.Header(HeaderId.CallId, dialogMessage.CallId);
        w.Header(HeaderId.CSeq, $"{cseq ?? (weAreCaller ? _cseq++ : 1000 + _cseq++)} {method.Name()}");
        w.Header(HeaderId.Contact, $"<sip:{Number}@{Address}>");
        if (extra.Length > 0) w.Append(extra);
        var m = sdp is null ? w.NoBody().ToMessage() : w.Body(sdp, "application/sdp").ToMessage();
        kit.Receive(m, Address);
        return m;
    }

    /// <summary>The ACK for a 2xx to our INVITE.</summary>
    public void Ack(SipMessage ok)
    {
        var w = SipMessageWriter.Request(SipMethod.Ack, "sip:hotline@127.0.0.1:5060");
        w.Header(HeaderId.Via, $"SIP/2.0/UDP {Address};branch={SipIds.NewBranch()};rport");
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, ok.Text(ok.From.Value));
        w.Header(HeaderId.To, ok.Text(ok.To.Value));
        w.Header(HeaderId.CallId, ok.CallId);
        w.Header(HeaderId.CSeq, $"{ok.CSeq.Number} ACK");
        kit.Receive(w.NoBody().ToMessage(), Address);
    }

    public void Cancel(SipMessage invite)
    {
        var cancel = SipRequests.CreateCancel(invite);
        kit.Receive(cancel, Address);
    }
}
