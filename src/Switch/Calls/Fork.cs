using Hotline.Switch.Auth;
using Hotline.Switch.Dialogs;
using Hotline.Switch.Routing;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Calls;

/// <summary>
/// One outgoing INVITE of a call: to one registered contact of an extension (parallel fork) or
/// through one trunk (sequential fail-over). It has its own Call-ID and From tag, so every fork is
/// an independent dialog.
/// </summary>
internal sealed class Fork
{
    public Fork(Dialog dialog, SipEndPoint destination, string peer, ITrunkLease? trunk, IMediaLeg media, bool forTransfer = false)
    {
        Dialog = dialog;
        Destination = destination;
        Peer = peer;
        Trunk = trunk;
        Media = media;
        ForTransfer = forTransfer;
    }

    /// <summary>The media leg the fork's offer comes from (shared by the forks of one dial).</summary>
    public IMediaLeg Media { get; }
    /// <summary>A fork dialled to complete a blind transfer rather than the original call.</summary>
    public bool ForTransfer { get; }

    /// <summary>The dialog as it stands before the answer (no remote tag yet).</summary>
    public Dialog Dialog { get; set; }
    public SipEndPoint Destination { get; }
    public string Peer { get; }
    public ITrunkLease? Trunk { get; }
    public ClientInviteTransaction? Transaction { get; set; }
    public SipMessage? Invite { get; set; }
    public bool Provisional { get; set; }
    public bool CancelWanted { get; set; }
    public bool Cancelled { get; set; }
    public bool Done { get; set; }
    public int FinalStatus { get; set; }
    public string? FinalReason { get; set; }
    public int AuthAttempts { get; set; }
    /// <summary>RSeq values of reliable provisionals already PRACKed (RFC 3262 §4).</summary>
    public uint LastRSeq { get; set; }
    /// <summary>The early dialog (To tag) that sent early media, when one did.</summary>
    public Dialog? Early { get; set; }
    public DigestClient? Credentials => Trunk?.Credentials;
}
