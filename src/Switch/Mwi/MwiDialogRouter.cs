using Hotline.Switch.Core;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Mwi;

/// <summary>
/// The core has one dialog handler; subscription dialogs (refreshes and unsubscribes arrive as in-dialog
/// SUBSCRIBEs) are the notifier's, everything else goes on to the call layer.
/// </summary>
public sealed class MwiDialogRouter(MwiNotifier notifier, IDialogHandler? calls) : IDialogHandler
{
    public bool HandleInDialog(ServerTransaction transaction) =>
        (transaction.Request.Method == SipMethod.Subscribe && notifier.HandleInDialog(transaction)) || (calls?.HandleInDialog(transaction) ?? false);

    public void HandleAck(SipMessage ack) => calls?.HandleAck(ack);

    public void HandleCancel(ServerInviteTransaction invite, SipMessage cancel) => calls?.HandleCancel(invite, cancel);

    public void HandleStrayResponse(SipMessage response) => calls?.HandleStrayResponse(response);
}
