using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Tests.Transactions;

public class ServerTransactionTests
{
    private static int Responses(TransactionTestKit kit, int status) => kit.Sender.Count(m => m.IsResponse && m.StatusCode == status);

    [Fact]
    public void INVITE_retransmission_repeats_the_last_provisional()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        var tx = (ServerInviteTransaction)Assert.Single(kit.User.Requests);
        tx.Respond(180, toTag: "t1");
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        Assert.Single(kit.User.Requests);
        Assert.Equal(2, Responses(kit, 180));
    }

    [Fact]
    public void Error_response_retransmits_with_TimerG_until_TimerH()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        var tx = (ServerInviteTransaction)kit.User.Requests[0];
        var ackLost = false;
        tx.AckTimedOut = _ => ackLost = true;
        tx.Respond(486, toTag: "t1");
        Assert.Equal(TransactionState.Completed, tx.State);
        // Timer G: 0.5, 1, 2, 4, 4 ... -> sends at 0, .5, 1.5, 3.5, 7.5, 11.5, ..., 31.5; Timer H at 32 s.
        kit.Advance(31.9);
        Assert.Equal(10 + 1, Responses(kit, 486));
        Assert.False(ackLost);
        kit.Advance(0.2);
        Assert.True(ackLost);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, kit.Layer.ServerCount);
    }

    [Fact]
    public void ACK_confirms_stops_retransmission_and_TimerI_ends_it()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        var tx = (ServerInviteTransaction)kit.User.Requests[0];
        tx.Respond(603, toTag: "t1");
        kit.Advance(0.6);
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Ack, toTag: "t1"));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        var sent = Responses(kit, 603);
        kit.Advance(4.9);
        Assert.Equal(sent, Responses(kit, 603));
        Assert.Equal(TransactionState.Confirmed, tx.State);
        kit.Advance(0.2);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Empty(kit.User.Acks); // the ACK for a non-2xx belongs to the transaction
    }

    [Fact]
    public void Success_enters_Accepted_absorbs_INVITE_retransmissions_and_TimerL_ends_it()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        var tx = (ServerInviteTransaction)kit.User.Requests[0];
        tx.Respond(200, toTag: "t1");
        Assert.Equal(TransactionState.Accepted, tx.State);
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        Assert.Equal(1, Responses(kit, 200));
        tx.Respond(200, toTag: "t1"); // the UAS core's own 2xx retransmission passes through
        Assert.Equal(2, Responses(kit, 200));
        // The ACK for the 2xx has a new branch: it goes to the TU.
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Ack, branch: "z9hG4bKack2", toTag: "t1"));
        Assert.Single(kit.User.Acks);
        kit.Advance(32.1);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Non_INVITE_absorbs_in_Trying_repeats_final_and_ends_with_TimerJ()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Register));
        var tx = (ServerNonInviteTransaction)kit.User.Requests[0];
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Register));
        Assert.Empty(kit.Sender.Sent);
        tx.Respond(200, toTag: "t1");
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Register));
        Assert.Equal(2, Responses(kit, 200));
        Assert.Single(kit.User.Requests);
        kit.Advance(31.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        kit.Advance(0.2);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Over_TCP_TimerJ_is_zero()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Options, source: TransactionTestKit.TcpPeer));
        var tx = kit.User.Requests[0];
        tx.Respond(200, toTag: "t1");
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void CANCEL_matches_the_INVITE_gets_200_and_reaches_the_user()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite));
        var invite = (ServerInviteTransaction)kit.User.Requests[0];
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Cancel));
        var (matched, _) = Assert.Single(kit.User.Cancels);
        Assert.Same(invite, matched);
        Assert.True(invite.Cancelled);
        Assert.Equal(1, kit.Sender.Count(m => m.IsResponse && m.StatusCode == 200 && m.CSeq.Method == SipMethod.Cancel));
    }

    [Fact]
    public void CANCEL_without_a_matching_INVITE_gets_481()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Cancel, branch: "z9hG4bKnothing"));
        Assert.Empty(kit.User.Cancels);
        Assert.Equal(1, Responses(kit, 481));
    }

    [Fact]
    public void Merged_request_with_another_branch_gets_482()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite, branch: "z9hG4bKfork1"));
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Invite, branch: "z9hG4bKfork2"));
        Assert.Single(kit.User.Requests);
        Assert.Equal(1, Responses(kit, 482));
    }

    [Fact]
    public void RFC2543_requests_without_magic_cookie_match_their_retransmissions()
    {
        var kit = new TransactionTestKit();
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Options, branch: "old1"));
        kit.User.Requests[0].Respond(200, toTag: "t1");
        kit.Layer.Receive(TransactionTestKit.Request(SipMethod.Options, branch: "old1"));
        Assert.Single(kit.User.Requests);
        Assert.Equal(2, Responses(kit, 200));
    }
}
