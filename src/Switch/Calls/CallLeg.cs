using Hotline.Switch.Dialogs;
using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Calls;

public enum LegRole { Caller, Callee }

/// <summary>
/// One established (or early, on the caller's side) dialog of a call with its media leg, and the
/// state that dialog needs: a 2xx being retransmitted until its ACK (RFC 3261 §13.3.1.4), a
/// reliable provisional awaiting PRACK (RFC 3262), the session timer (RFC 4028).
/// </summary>
internal sealed class CallLeg
{
    public CallLeg(Call call, LegRole role, Dialog dialog, IMediaLeg media, string peer)
    {
        Call = call;
        Role = role;
        Dialog = dialog;
        Media = media;
        Peer = peer;
    }

    /// <summary>The call the leg belongs to; an attended transfer moves a leg to another call.</summary>
    public Call Call { get; set; }
    public LegRole Role { get; }
    public Dialog Dialog { get; set; }
    public IMediaLeg Media { get; }
    /// <summary>Who is on the other end, for CDRs and logs: an extension number or "trunk:number".</summary>
    public string Peer { get; set; }

    /// <summary>A server INVITE (initial or re-INVITE) whose 2xx is being retransmitted until the ACK.</summary>
    public ServerInviteTransaction? AwaitingAck { get; set; }
    public SipMessage? Pending2xx { get; set; }
    public ITimer? Retransmit2xx { get; set; }
    public TimeSpan Retransmit2xxInterval { get; set; }
    public long Retransmit2xxStarted { get; set; }

    /// <summary>Our reliable provisional awaiting PRACK (RFC 3262 §3), if any.</summary>
    public SipMessage? PendingReliable { get; set; }
    public uint NextRSeq { get; set; } = 1;
    public ITimer? RetransmitReliable { get; set; }

    /// <summary>Session timer (RFC 4028): interval and who refreshes; the timer fires refreshes or the expiry.</summary>
    public int SessionExpires { get; set; }
    public bool WeRefresh { get; set; }
    public ITimer? SessionTimer { get; set; }
    public bool PeerAllowsUpdate { get; set; }

    /// <summary>Set when the peer said BYE or the dialog otherwise ended: nothing more is sent to it.</summary>
    public bool Ended { get; set; }
    /// <summary>The peer's BYE arrived (as opposed to our own).</summary>
    public bool ByeReceived { get; set; }

    public DateTimeOffset Start { get; set; }
    public DateTimeOffset? Answered { get; set; }
    public int FinalStatus { get; set; }

    public void StopTimers()
    {
        Retransmit2xx?.Dispose();
        RetransmitReliable?.Dispose();
        SessionTimer?.Dispose();
        Retransmit2xx = RetransmitReliable = SessionTimer = null;
    }
}
