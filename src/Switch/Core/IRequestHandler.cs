using Hotline.Switch.Accounts;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Core;

/// <summary>Handles new requests of one method outside any dialog (registrar, calls, subscriptions …).</summary>
public interface IRequestHandler
{
    /// <summary>
    /// <paramref name="caller"/> is the extension that authenticated, or null for an INVITE from a trusted
    /// source (a trunk by address; only INVITEs are trusted so). REGISTER is handed over before authentication: the
    /// registrar challenges with 401 itself.
    /// </summary>
    void Handle(ServerTransaction transaction, Extension? caller);
}

/// <summary>
/// Requests, ACKs and responses that belong to dialogs. The call layer implements it; until a dialog
/// layer is registered, in-dialog requests are answered 481.
/// </summary>
public interface IDialogHandler
{
    /// <summary>A request with a To tag; false when no dialog matches (the core answers 481).</summary>
    bool HandleInDialog(ServerTransaction transaction);
    void HandleAck(Sip.SipMessage ack);
    void HandleCancel(ServerInviteTransaction invite, Sip.SipMessage cancel);
    void HandleStrayResponse(Sip.SipMessage response);
}
