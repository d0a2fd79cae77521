using Hotline.Switch.Accounts;
using Hotline.Switch.Auth;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Core;

/// <summary>
/// The transaction user at the top of the stack (RFC 3261 §8.2): checks every new request
/// (method, URI scheme, Require), answers OPTIONS, routes the rest to the handler of its method,
/// and offers handlers the shared answers: challenges, 403s, responses with our Server header.
/// </summary>
public sealed class SwitchCore : ITransactionUser
{
    private readonly Dictionary<SipMethod, IRequestHandler> _handlers = [];
    private readonly SipOptions _options;
    private readonly DigestAuthenticator _authenticator;
    private readonly AuthFailureGuard _guard;
    private readonly ILogger _logger;

    public SwitchCore(SipOptions options, DigestAuthenticator authenticator, AuthFailureGuard guard, ILogger logger)
    {
        _options = options;
        _authenticator = authenticator;
        _guard = guard;
        _logger = logger;
    }

    /// <summary>Option tags we support (RFC 3261 §19.2); a Require naming anything else gets 420.</summary>
    public HashSet<string> SupportedOptionTags { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Sources whose INVITEs need no digest: trunks authenticated by address, SIP front ends.</summary>
    public Func<SipMessage, bool>? IsTrustedSource { get; set; }

    public IDialogHandler? Dialogs { get; set; }

    /// <summary>Overload control for new calls; null admits every call.</summary>
    public IAdmissionControl? Admission { get; set; }

    public string UserAgent => _options.UserAgent;

    public void Register(SipMethod method, IRequestHandler handler) => _handlers[method] = handler;

    /// <summary>The methods we answer, for Allow headers.</summary>
    public string Allow
    {
        get
        {
            var methods = new List<SipMethod> { SipMethod.Options, SipMethod.Ack, SipMethod.Cancel };
            methods.AddRange(_handlers.Keys);
            if (Dialogs is not null) methods.AddRange([SipMethod.Bye, SipMethod.Invite]);
            return string.Join(", ", methods.Distinct().Select(m => m.Name()));
        }
    }

    public void OnRequest(ServerTransaction tx)
    {
        try
        {
            Dispatch(tx);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "handling {Method} {CallId} failed", tx.Request.MethodText, tx.Request.CallId);
            if (!tx.HasFinalResponse) Respond(tx, 500);
        }
    }

    private void Dispatch(ServerTransaction tx)
    {
        var request = tx.Request;
        if (request.Method == SipMethod.Extension)
        {
            Respond(tx, 501, extra: w => w.Header(HeaderId.Allow, Allow)); // RFC 3261 §8.2.1
            return;
        }
        var scheme = SipUri.SchemeOf(request.Span(request.RequestUri));
        if (scheme is not ("sip" or "sips" or "tel"))
        {
            Respond(tx, 416); // §8.2.2.1
            return;
        }
        var unsupported = request.GetTokens(HeaderId.Require).Where(t => !SupportedOptionTags.Contains(t)).ToList();
        if (unsupported.Count > 0 && request.Method != SipMethod.Cancel)
        {
            Respond(tx, 420, extra: w => w.Header(HeaderId.Unsupported, string.Join(", ", unsupported))); // §8.2.2.3
            return;
        }
        if (request.MaxForwards == 0 && request.Method is not (SipMethod.Options or SipMethod.Register))
        {
            Respond(tx, 483); // §16.3 step 2: a B2BUA relays like a proxy and must not extend a loop
            return;
        }
        if (request.To.Tag.IsPresent && request.Method is not (SipMethod.Options or SipMethod.Register))
        {
            if (Dialogs?.HandleInDialog(tx) != true) Respond(tx, 481);
            return;
        }
        if (request.Method == SipMethod.Options)
        {
            AnswerOptions(tx);
            return;
        }
        if (request.Method == SipMethod.Register)
        {
            if (_handlers.TryGetValue(SipMethod.Register, out var registrar)) registrar.Handle(tx, null);
            else Respond(tx, 405, extra: w => w.Header(HeaderId.Allow, Allow));
            return;
        }
        // Shed new calls before a digest, a route or a port is spent on them (RFC 6357 §4).
        if (request.Method == SipMethod.Invite && Admission is { } admission && !admission.TryAdmit(request, out var refusal))
        {
            Respond(tx, 503, refusal);
            return;
        }
        // Everything else from outside a dialog is challenged first, whatever it asks for, so that
        // nobody learns which methods or extensions exist without credentials.
        if (!Authenticate(tx, out var caller)) return;
        if (request.Method == SipMethod.Invite && !AcceptableSession(tx)) return;
        if (_handlers.TryGetValue(request.Method, out var handler))
        {
            handler.Handle(tx, caller);
            return;
        }
        if (request.Method is SipMethod.Bye or SipMethod.Prack or SipMethod.Update or SipMethod.Info)
        {
            Respond(tx, 481); // these only exist inside a dialog
            return;
        }
        Respond(tx, 405, extra: w => w.Header(HeaderId.Allow, Allow));
    }

    /// <summary>
    /// An INVITE must carry SDP if it carries anything (415 with Accept otherwise, RFC 3261 §21.4.13),
    /// and must let us answer with SDP (406 when its Accept excludes it, RFC 4475 §3.3.15).
    /// </summary>
    private bool AcceptableSession(ServerTransaction tx)
    {
        var request = tx.Request;
        if (request.Body.Length > 0)
        {
            var type = request.Text(request.ContentType).Split(';')[0].Trim();
            if (!type.Equals("application/sdp", StringComparison.OrdinalIgnoreCase)
                && !(type.Equals("multipart/mixed", StringComparison.OrdinalIgnoreCase) && request.BodyText.Contains("application/sdp", StringComparison.OrdinalIgnoreCase)))
            {
                Respond(tx, 415, extra: w => w.Header(HeaderId.Accept, "application/sdp"));
                return false;
            }
        }
        var accept = request.GetTokens(HeaderId.Accept);
        if (accept.Count > 0 && !accept.Exists(a => a.Split(';')[0].Trim() is var t
                && (t.Equals("application/sdp", StringComparison.OrdinalIgnoreCase) || t == "*/*" || t.Equals("application/*", StringComparison.OrdinalIgnoreCase))))
        {
            Respond(tx, 406, extra: w => w.Header(HeaderId.Warning, $"399 {_options.AdvertisedAddress} \"only application/sdp bodies can be sent\""));
            return false;
        }
        return true;
    }

    /// <summary>
    /// OPTIONS is answered the same way whatever the Request-URI names (RFC 3261 §11.2), so it tells a
    /// scanner nothing about which extensions exist; it needs no credentials (trunks and phones ping with it).
    /// </summary>
    private void AnswerOptions(ServerTransaction tx)
    {
        Respond(tx, 200, extra: w =>
        {
            w.Header(HeaderId.Allow, Allow);
            w.Header(HeaderId.Accept, "application/sdp");
            w.Header(HeaderId.AcceptEncoding, "identity");
            w.Header(HeaderId.AcceptLanguage, "zh-CN, en");
            if (SupportedOptionTags.Count > 0) w.Header(HeaderId.Supported, string.Join(", ", SupportedOptionTags));
        });
    }

    /// <summary>
    /// Authenticates a request with digest credentials: 401 challenges for REGISTER, 407 for
    /// everything else (RFC 3261 §22.3). Answers the challenge or the 403 itself and returns false
    /// unless the request may proceed; <paramref name="extension"/> is null for a trusted source's INVITE.
    /// </summary>
    public bool Authenticate(ServerTransaction tx, out Extension? extension)
    {
        extension = null;
        var request = tx.Request;
        // A trunk trusted by its address brings calls; it is no user. Its REGISTER or SUBSCRIBE would act
        // for any extension (take over its calls, read its voicemail), so those are challenged like anyone's;
        // front ends that register phones are the registrar's own Registrar:TrustedProxies.
        if (request.Method == SipMethod.Invite && IsTrustedSource?.Invoke(request) == true) return true;
        var registrar = request.Method == SipMethod.Register;
        var source = request.Source!.EndPoint.Address;
        var result = _authenticator.Authenticate(request, proxy: !registrar);
        switch (result.Outcome)
        {
            case AuthOutcome.Authenticated:
                _guard.RecordSuccess(source);
                extension = result.Extension;
                return true;
            case AuthOutcome.Challenge:
            case AuthOutcome.Stale:
                Respond(tx, registrar ? 401 : 407, stateless: true,
                    extra: w => _authenticator.WriteChallenge(w, proxy: !registrar, stale: result.Outcome == AuthOutcome.Stale));
                return false;
            default:
                if (_guard.RecordFailure(source)) _logger.LogWarning("blocking {Source} after repeated authentication failures", source);
                else _logger.LogInformation("authentication failed from {Source}: {Reason}", source, result.Reason);
                if (_guard.MayAnswer(source)) Respond(tx, 403, stateless: true);
                return false;
        }
    }

    /// <summary>Sends a response with our Server header; <paramref name="extra"/> adds headers, <paramref name="body"/> a body.</summary>
    /// <remarks>With <paramref name="stateless"/>, an INVITE's transaction ends once the response is sent (see <see cref="ServerTransaction.RespondStateless"/>).</remarks>
    public SipMessage Respond(ServerTransaction tx, int status, string? reason = null, Action<SipMessageWriter>? extra = null,
        string? toTag = null, ReadOnlySpan<byte> body = default, string? contentType = null, bool stateless = false)
    {
        var w = SipResponses.Start(tx.Request, status, reason, toTag ?? (status > 100 ? SipIds.NewTag() : null));
        w.Header(HeaderId.Server, _options.UserAgent);
        extra?.Invoke(w);
        var response = w.Body(body, contentType).ToMessage();
        if (stateless && tx is ServerInviteTransaction) tx.RespondStateless(response);
        else tx.Respond(response);
        return response;
    }

    public void OnAck(SipMessage ack) => Dialogs?.HandleAck(ack);

    public void OnCancel(ServerInviteTransaction invite, SipMessage cancel)
    {
        if (Dialogs is not null)
        {
            Dialogs.HandleCancel(invite, cancel);
            return;
        }
        if (!invite.HasFinalResponse) Respond(invite, 487);
    }

    public void OnStrayResponse(SipMessage response) => Dialogs?.HandleStrayResponse(response);
}
