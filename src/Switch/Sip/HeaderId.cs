namespace Hotline.Switch.Sip;

/// <summary>Header fields the switch knows by name (RFC 3261 §20 and extensions); others are <see cref="Extension"/>.</summary>
public enum HeaderId : byte
{
    Extension = 0,
    Via, From, To, CallId, CSeq, Contact, ContentLength, ContentType, MaxForwards,
    Route, RecordRoute, Expires, MinExpires,
    Authorization, ProxyAuthorization, WwwAuthenticate, ProxyAuthenticate, AuthenticationInfo,
    Allow, Supported, Require, ProxyRequire, Unsupported,
    Accept, AcceptEncoding, AcceptLanguage, UserAgent, Server, Subject, Timestamp, Date, Warning,
    ContentEncoding, ContentDisposition, ContentLanguage, MimeVersion,
    CallInfo, AlertInfo, ErrorInfo, InReplyTo, Organization, Priority, ReplyTo, RetryAfter,
    Event, AllowEvents, SubscriptionState, ReferTo, ReferredBy, Replaces,
    SessionExpires, MinSE, RSeq, RAck,
    PAssertedIdentity, PPreferredIdentity, Privacy, Reason, Diversion, Path, ServiceRoute,
    AcceptContact, RejectContact, RequestDisposition, Identity, IdentityInfo,
}
