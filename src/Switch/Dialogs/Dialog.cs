using Hotline.Switch.Sip;

namespace Hotline.Switch.Dialogs;

/// <summary>
/// One side of a SIP dialog (RFC 3261 §12): the identifiers, sequence numbers, route set and remote
/// target, and where requests for it are sent. Messages for the peer are sent to <see cref="Destination"/>:
/// the address the peer's own messages come from (or its registration's source) unless a route set
/// names a proxy, which is what keeps phones behind NAT reachable.
/// </summary>
public sealed class Dialog
{
    private readonly LocalContact _local;

    private Dialog(LocalContact local, string callId, string localTag, string localUri, string remoteUri, SipEndPoint destination)
    {
        _local = local;
        CallId = callId;
        LocalTag = localTag;
        LocalUri = localUri;
        RemoteUri = remoteUri;
        Destination = destination;
    }

    public string CallId { get; }
    public string LocalTag { get; }
    public string RemoteTag { get; private set; } = "";
    /// <summary>The From (ours) and To (theirs) values without tags, e.g. "\"Alice\" &lt;sip:1001@host&gt;".</summary>
    public string LocalUri { get; }
    public string RemoteUri { get; private set; }
    public uint LocalSeq { get; private set; }
    public uint RemoteSeq { get; private set; }
    public string RemoteTarget { get; private set; } = "";
    public IReadOnlyList<string> RouteSet { get; private set; } = [];
    public SipEndPoint Destination { get; private set; }
    public bool Confirmed { get; set; }

    public DialogId Id => new(CallId, LocalTag, RemoteTag);

    /// <summary>The UAS side, made from an incoming INVITE (§12.1.1): route set from Record-Route in order.</summary>
    public static Dialog ForUas(LocalContact local, SipMessage request, string localTag)
    {
        var d = new Dialog(local, request.CallId, localTag, WithoutTag(request, request.To), WithoutTag(request, request.From), request.Source!)
        {
            RemoteTag = request.From.Tag.IsPresent ? request.Text(request.From.Tag) : "",
            RemoteSeq = request.CSeq.Number,
            RemoteTarget = Target(request) ?? SipUri.AsRequestUri(request.Text(request.From.Uri)) ?? $"sip:{request.Source!.EndPoint}",
            RouteSet = request.NameAddrs(HeaderId.RecordRoute).Select(r => request.Text(r.Value)).ToList(),
        };
        return d;
    }

    /// <summary>The UAC side for an INVITE we are about to send; completed by <see cref="Establish"/> from a response.</summary>
    public static Dialog ForUac(LocalContact local, string callId, string localTag, string localUri, string remoteUri, string requestUri, SipEndPoint destination) =>
        new(local, callId, localTag, localUri, remoteUri, destination) { RemoteTarget = requestUri };

    /// <summary>§12.1.2: learn remote tag, target and (reversed) route set from a 1xx/2xx with a To tag.</summary>
    public Dialog Establish(SipMessage response)
    {
        var d = (Dialog)MemberwiseClone();
        d.RemoteTag = response.Text(response.To.Tag);
        if (Target(response) is { } target) d.RemoteTarget = target;
        d.RouteSet = response.NameAddrs(HeaderId.RecordRoute).Select(r => response.Text(r.Value)).Reverse().ToList();
        return d;
    }

    /// <summary>An in-dialog request from the peer: a lower or equal CSeq is out of order (§12.2.2, answer 500).</summary>
    public bool AcceptRemoteSequence(SipMessage request)
    {
        if (request.Method is SipMethod.Ack or SipMethod.Cancel) return true;
        if (RemoteSeq != 0 && request.CSeq.Number <= RemoteSeq) return false;
        RemoteSeq = request.CSeq.Number;
        if (request.Method is SipMethod.Invite or SipMethod.Update && Target(request) is { } target) RemoteTarget = target;
        return true;
    }

    // The peer's Contact as the remote target (§12.1.1, §12.2.2): null when it cannot be a Request-URI (not SIP
    // or SIPS, or malformed): the target stays what it was, and requests go where the peer's messages come from.
    private static string? Target(SipMessage m) => m.ContactCount > 0 ? SipUri.AsRequestUri(m.Text(m.Contact.Uri)) : null;

    /// <summary>Messages from the peer come from here; requests go back the same way (symmetric, NAT-safe).</summary>
    public void LearnFlow(SipEndPoint source)
    {
        if (RouteSet.Count == 0) Destination = source;
    }

    public uint NextSequence() => ++LocalSeq;

    /// <summary>
    /// Builds a request inside the dialog (§12.2.1.1). CSeq takes the next local number unless
    /// <paramref name="cseq"/> is given (ACK reuses its INVITE's). The caller adds headers and the body.
    /// </summary>
    public SipMessageWriter Request(SipMethod method, uint? cseq = null)
    {
        var number = cseq ?? NextSequence();
        var w = SipMessageWriter.Request(method, RemoteTarget);
        w.Header(HeaderId.Via, _local.Via(Destination.Transport, SipIds.NewBranch()));
        w.Header(HeaderId.MaxForwards, 70);
        w.Header(HeaderId.From, $"{LocalUri};tag={LocalTag}");
        w.Header(HeaderId.To, RemoteTag.Length > 0 ? $"{RemoteUri};tag={RemoteTag}" : RemoteUri);
        w.Header(HeaderId.CallId, CallId);
        w.Header(HeaderId.CSeq, $"{number} {method.Name()}");
        foreach (var route in RouteSet) w.Header(HeaderId.Route, route);
        if (method is not (SipMethod.Ack or SipMethod.Cancel or SipMethod.Bye))
            w.Header(HeaderId.Contact, _local.Contact("hotline", Destination.Transport));
        return w;
    }

    /// <summary>"Name &lt;uri&gt;;params" without the tag parameter.</summary>
    private static string WithoutTag(SipMessage m, NameAddrHeader h)
    {
        var text = m.Text(h.Value);
        if (!h.Tag.IsPresent) return text;
        var tag = ";" + "tag=" + m.Text(h.Tag);
        var i = text.IndexOf(tag, StringComparison.OrdinalIgnoreCase);
        return i >= 0 ? text.Remove(i, tag.Length) : text;
    }
}

/// <summary>A dialog's identity from our side (RFC 3261 §12).</summary>
public readonly record struct DialogId(string CallId, string LocalTag, string RemoteTag);
