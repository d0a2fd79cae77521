using Hotline.Switch.Sip;
using Hotline.Switch.Transactions;

namespace Hotline.Switch.Tests.Transactions;

public class ClientTransactionTests
{
    private static (TransactionTestKit Kit, ClientTransaction Tx, List<SipMessage> Seen, List<TransactionFailure> Failures) Start(
        SipMethod method, SipEndPoint? to = null)
    {
        var kit = new TransactionTestKit();
        var request = TransactionTestKit.Request(method);
        var tx = kit.Layer.CreateClient(request, to ?? TransactionTestKit.Peer);
        var seen = new List<SipMessage>();
        var failures = new List<TransactionFailure>();
        tx.ResponseReceived = (_, r) => seen.Add(r);
        tx.Failed = (_, f) => failures.Add(f);
        tx.Start();
        return (kit, tx, seen, failures);
    }

    private static int Invites(TransactionTestKit kit) => kit.Sender.Count(m => m.IsRequest && m.Method == SipMethod.Invite);

    [Fact]
    public async Task Retransmits_INVITE_with_doubling_intervals_until_TimerB_fires()
    {
        var (kit, tx, _, failures) = Start(SipMethod.Invite);
        // Timer A: sends at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; Timer B at 32 s.
        var expectedAt = new[] { 0.5, 1.0, 2.0, 4.0, 8.0, 16.0 };
        var sends = 1;
        Assert.Equal(1, Invites(kit));
        foreach (var step in expectedAt)
        {
            kit.Advance(step - 0.01);
            Assert.Equal(sends, Invites(kit));
            kit.Advance(0.01);
            Assert.Equal(++sends, Invites(kit));
        }
        Assert.Equal(TransactionState.Calling, tx.State);
        kit.Advance(0.49);
        Assert.Empty(failures);
        kit.Advance(0.01);
        Assert.Equal([TransactionFailure.Timeout], failures);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(7, Invites(kit));
        Assert.Null(await tx.FinalResponse);
        Assert.Equal(0, kit.Layer.ClientCount);
    }

    [Fact]
    public async Task A_user_that_throws_on_a_timeout_does_not_take_the_timer_down()
    {
        // Timers fire on the runtime's timer threads, where an unhandled exception ends the process; the fake
        // clock runs them inside Advance, so an escaping exception would fail this test.
        var (kit, tx, _, _) = Start(SipMethod.Options);
        var told = 0;
        tx.Failed = (_, _) =>
        {
            told++;
            throw new InvalidOperationException("a transaction user's bug");
        };
        kit.Advance(32);
        Assert.Equal(1, told);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Null(await tx.FinalResponse);
    }

    [Fact]
    public void Provisional_stops_retransmission_and_TimerB()
    {
        var (kit, tx, seen, failures) = Start(SipMethod.Invite);
        kit.Advance(0.6);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 180));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        kit.Advance(120);
        Assert.Equal(2, Invites(kit));
        Assert.Empty(failures);
        Assert.Single(seen);
        Assert.Equal(TransactionState.Proceeding, tx.State);
    }

    [Fact]
    public async Task Error_response_is_ACKed_delivered_once_and_absorbed_until_TimerD()
    {
        var (kit, tx, seen, _) = Start(SipMethod.Invite);
        var busy = TransactionTestKit.ResponseTo(tx.Request, 486);
        kit.Layer.Receive(busy);
        Assert.Equal(TransactionState.Completed, tx.State);
        var acks = kit.Sender.Sent.Where(s => s.Message.Method == SipMethod.Ack).Select(s => s.Message).ToList();
        var ack = Assert.Single(acks);
        Assert.Equal(tx.Request.Text(tx.Request.TopVia.Branch), ack.Text(ack.TopVia.Branch));
        Assert.Equal("totag", ack.Text(ack.To.Tag));
        Assert.Equal(SipMethod.Ack, ack.CSeq.Method);
        Assert.Equal(tx.Request.CSeq.Number, ack.CSeq.Number);

        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 486));
        Assert.Single(seen);
        Assert.Equal(2, kit.Sender.Count(m => m.Method == SipMethod.Ack));
        Assert.Equal(486, (await tx.FinalResponse)!.StatusCode);

        kit.Advance(31.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        kit.Advance(0.2);
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Success_enters_Accepted_passes_2xx_retransmissions_and_ends_with_TimerM()
    {
        var (kit, tx, seen, _) = Start(SipMethod.Invite);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 200));
        Assert.Equal(TransactionState.Accepted, tx.State);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 200));
        Assert.Equal(2, seen.Count);
        Assert.Equal(0, kit.Sender.Count(m => m.Method == SipMethod.Ack)); // the TU ACKs 2xx, not the transaction
        kit.Advance(31.9);
        Assert.Equal(TransactionState.Accepted, tx.State);
        kit.Advance(0.2);
        Assert.Equal(TransactionState.Terminated, tx.State);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 200));
        Assert.Single(kit.User.Stray);
    }

    [Fact]
    public void Over_TCP_nothing_is_retransmitted_and_Completed_ends_at_once()
    {
        var (kit, tx, _, _) = Start(SipMethod.Invite, TransactionTestKit.TcpPeer);
        kit.Advance(10);
        Assert.Equal(1, Invites(kit));
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 503));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Non_INVITE_retransmits_up_to_T2_until_TimerF()
    {
        var (kit, tx, _, failures) = Start(SipMethod.Register);
        // Timer E: 0.5, 1, 2, 4, 4, 4 ... s: sends at 0, .5, 1.5, 3.5, 7.5, 11.5 ... 31.5; Timer F at 32 s.
        var times = new List<double>();
        var elapsed = 0.0;
        var last = 1;
        while (failures.Count == 0)
        {
            kit.Advance(0.05);
            elapsed += 0.05;
            var now = kit.Sender.Count(m => m.Method == SipMethod.Register);
            if (now != last) times.Add(Math.Round(elapsed, 2));
            last = now;
        }
        Assert.Equal(new[] { 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5 }, times);
        Assert.Equal(32.0, Math.Round(elapsed, 2));
        Assert.Equal(TransactionFailure.Timeout, Assert.Single(failures));
        Assert.Equal(TransactionState.Terminated, tx.State);
    }

    [Fact]
    public void Non_INVITE_in_Proceeding_retransmits_every_T2()
    {
        var (kit, tx, _, _) = Start(SipMethod.Options);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 100));
        Assert.Equal(TransactionState.Proceeding, tx.State);
        kit.Advance(0.5); // Timer E fires: now at T2 intervals
        var at = kit.Sender.Count(m => m.Method == SipMethod.Options);
        Assert.Equal(2, at);
        kit.Advance(3.9);
        Assert.Equal(2, kit.Sender.Count(m => m.Method == SipMethod.Options));
        kit.Advance(0.2);
        Assert.Equal(3, kit.Sender.Count(m => m.Method == SipMethod.Options));
    }

    [Fact]
    public void Non_INVITE_final_is_delivered_once_and_TimerK_ends_it()
    {
        var (kit, tx, seen, _) = Start(SipMethod.Register);
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 200));
        kit.Layer.Receive(TransactionTestKit.ResponseTo(tx.Request, 200));
        Assert.Single(seen);
        Assert.Equal(TransactionState.Completed, tx.State);
        kit.Advance(4.9);
        Assert.Equal(TransactionState.Completed, tx.State);
        kit.Advance(0.2);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(1, kit.Sender.Count(m => m.Method == SipMethod.Register));
    }

    [Fact]
    public void Transport_error_fails_the_transaction()
    {
        var kit = new TransactionTestKit();
        kit.Sender.Fail = true;
        var tx = kit.Layer.CreateClient(TransactionTestKit.Request(SipMethod.Options), TransactionTestKit.Peer);
        TransactionFailure? failure = null;
        tx.Failed = (_, f) => failure = f;
        tx.Start();
        Assert.Equal(TransactionFailure.TransportError, failure);
        Assert.Equal(TransactionState.Terminated, tx.State);
        Assert.Equal(0, kit.Layer.ClientCount);
    }
}
