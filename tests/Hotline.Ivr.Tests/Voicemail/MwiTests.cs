using Hotline.Ivr.Tests.Support;
using Hotline.Ivr.Voicemail;
using Hotline.Switch.Mwi;
using Hotline.Switch.Registrar;
using Hotline.Switch.Sip;

namespace Hotline.Ivr.Tests.Voicemail;

/// <summary>Message-waiting indication: SUBSCRIBE handling (RFC 6665) and NOTIFY bodies (RFC 3842 §5.2) byte for byte.</summary>
public sealed class MwiTests : IDisposable
{
    private readonly IvrTestKit _ivr = new();
    private readonly MwiTestKit _mwi;

    public MwiTests()
    {
        _mwi = new MwiTestKit(_ivr, withBindings: true);
        _ivr.Voicemail.SaveMailbox(new Mailbox { Id = "1001", Name = "Wang" }, "1234");
        _ivr.Voicemail.SaveMailbox(new Mailbox { Id = "12345", Extensions = ["1002"] }, "9876");
    }

    public void Dispose()
    {
        _mwi.Dispose();
        _ivr.Dispose();
    }

    private VoicemailMessage Leave(string box, string caller = "13800138000")
    {
        var path = _ivr.Voicemail.NewRecordingPath(box, caller);
        TestWav.WriteTone(path, 2);
        return _ivr.Voicemail.Deposit(box, new MessageOrigin(caller, null, box, "c1"), path)!;
    }

    [Fact]
    public void The_summary_body_is_exactly_RFC_3842()
    {
        Assert.Equal("Messages-Waiting: yes\r\nMessage-Account: sip:1001@hotline\r\nVoice-Message: 2/8 (1/0)\r\n",
            new MessageSummary(2, 8, 1, 0).ToBody("sip:1001@hotline"));
        Assert.Equal("Messages-Waiting: no\r\nVoice-Message: 0/3 (0/0)\r\n", new MessageSummary(0, 3).ToBody(null));
    }

    [Fact]
    public void A_subscription_gets_200_then_a_NOTIFY_with_the_counts()
    {
        Leave("1001");
        var ok = _mwi.Subscribe("1001", expires: 600);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal("600", ok.GetHeader(HeaderId.Expires));
        Assert.True(ok.To.Tag.IsPresent);
        Assert.NotNull(ok.GetHeader(HeaderId.Contact));
        var notify = _mwi.Sender.WaitFor(SipMethod.Notify, 1);
        Assert.Equal("message-summary", notify.GetHeader(HeaderId.Event));
        Assert.Equal("active;expires=600", notify.GetHeader(HeaderId.SubscriptionState));
        Assert.Equal("application/simple-message-summary", notify.GetHeader(HeaderId.ContentType));
        Assert.Equal("Messages-Waiting: yes\r\nMessage-Account: sip:1001@hotline\r\nVoice-Message: 1/0 (0/0)\r\n", notify.BodyText);
        // The NOTIFY is in the subscription's dialog: our tag in From, the phone's in To, its Contact as target.
        Assert.Equal(ok.Text(ok.To.Tag), notify.Text(notify.From.Tag));
        Assert.Equal("phone1", notify.Text(notify.To.Tag));
        Assert.Equal("sip:1001@192.168.1.20:5062", notify.RequestUriText);
        Assert.Equal("mwi-1@phone", notify.CallId);
        Assert.Equal(MwiTestKit.Phone, _mwi.Sender.Sent.Single(s => s.Message == notify).To);
    }

    [Fact]
    public void A_new_message_then_reading_it_turns_the_lamp_on_then_off()
    {
        _mwi.Subscribe("1001");
        var first = _mwi.Sender.WaitFor(SipMethod.Notify, 1);
        Assert.StartsWith("Messages-Waiting: no", first.BodyText);
        _mwi.Answer(first);
        var message = Leave("1001");
        var second = _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Assert.Contains("Messages-Waiting: yes\r\n", second.BodyText);
        Assert.Contains("Voice-Message: 1/0 (0/0)\r\n", second.BodyText);
        Assert.True(second.CSeq.Number > first.CSeq.Number);
        _mwi.Answer(second);
        _ivr.Voicemail.MarkRead("1001", message.Id);
        var third = _mwi.Sender.WaitFor(SipMethod.Notify, 3);
        Assert.Equal("Messages-Waiting: no\r\nMessage-Account: sip:1001@hotline\r\nVoice-Message: 0/1 (0/0)\r\n", third.BodyText);
    }

    [Fact]
    public void Changes_while_a_NOTIFY_is_unanswered_are_sent_after_it_with_the_latest_counts()
    {
        _mwi.Subscribe("1001");
        var first = _mwi.Sender.WaitFor(SipMethod.Notify, 1);
        Leave("1001");
        Leave("1001");
        Leave("1001");
        Assert.Single(_mwi.Sender.Requests(SipMethod.Notify));
        _mwi.Answer(first);
        var next = _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Assert.Contains("Voice-Message: 3/0 (0/0)", next.BodyText);
        _mwi.Answer(next);
        Thread.Sleep(100);
        Assert.Equal(2, _mwi.Sender.Requests(SipMethod.Notify).Count);
    }

    [Fact]
    public void A_refresh_is_answered_and_notified_and_an_unsubscribe_ends_with_terminated()
    {
        var ok = _mwi.Subscribe("1001", expires: 600);
        var tag = ok.Text(ok.To.Tag);
        _mwi.Answer(_mwi.Sender.WaitFor(SipMethod.Notify, 1));
        _ivr.Time.Advance(TimeSpan.FromSeconds(500));
        var refreshed = _mwi.Subscribe("1001", expires: 900, toTag: tag);
        Assert.Equal(200, refreshed.StatusCode);
        Assert.Equal("900", refreshed.GetHeader(HeaderId.Expires));
        var notify = _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Assert.Equal("active;expires=900", notify.GetHeader(HeaderId.SubscriptionState));
        _mwi.Answer(notify);
        var bye = _mwi.Subscribe("1001", expires: 0, toTag: tag);
        Assert.Equal(200, bye.StatusCode);
        Assert.Equal("0", bye.GetHeader(HeaderId.Expires));
        var last = _mwi.Sender.WaitFor(SipMethod.Notify, 3);
        Assert.Equal("terminated;reason=timeout", last.GetHeader(HeaderId.SubscriptionState));
        Assert.Equal(0, _mwi.Notifier.SubscriptionCount);
        Assert.Equal(481, _mwi.Subscribe("1001", expires: 600, toTag: tag).StatusCode);
    }

    [Fact]
    public void A_subscription_not_refreshed_expires_with_a_final_NOTIFY()
    {
        _mwi.Subscribe("1001", expires: 120);
        _mwi.Answer(_mwi.Sender.WaitFor(SipMethod.Notify, 1));
        _ivr.Time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1, _mwi.Notifier.SubscriptionCount);
        _ivr.Time.Advance(TimeSpan.FromSeconds(1));
        var last = _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Assert.Equal("terminated;reason=timeout", last.GetHeader(HeaderId.SubscriptionState));
        Assert.Equal(0, _mwi.Notifier.SubscriptionCount);
    }

    [Fact]
    public void A_NOTIFY_answered_481_drops_the_subscription()
    {
        _mwi.Subscribe("1001");
        _mwi.Answer(_mwi.Sender.WaitFor(SipMethod.Notify, 1), 481);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_mwi.Notifier.SubscriptionCount > 0 && DateTime.UtcNow < deadline) Thread.Sleep(5);
        Assert.Equal(0, _mwi.Notifier.SubscriptionCount);
        Leave("1001");
        Thread.Sleep(50);
        Assert.Single(_mwi.Sender.Requests(SipMethod.Notify));
    }

    [Fact]
    public void Refuses_other_events_unknown_boxes_other_peoples_boxes_and_too_short_subscriptions()
    {
        var badEvent = _mwi.Subscribe("1001", evt: "presence");
        Assert.Equal(489, badEvent.StatusCode);
        Assert.Equal("message-summary", badEvent.GetHeader(HeaderId.AllowEvents));
        Assert.Equal(404, _mwi.Subscribe("7777", callId: "b").StatusCode);
        _mwi.As = "1003";
        Assert.Equal(403, _mwi.Subscribe("1001", callId: "c").StatusCode);
        _mwi.As = "1001";
        var brief = _mwi.Subscribe("1001", expires: 10, callId: "d");
        Assert.Equal(423, brief.StatusCode);
        Assert.Equal("60", brief.GetHeader(HeaderId.MinExpires));
        Assert.Equal(406, _mwi.Subscribe("1001", callId: "e", accept: "application/pidf+xml").StatusCode);
        Assert.Equal(0, _mwi.Notifier.SubscriptionCount);
    }

    [Fact]
    public void A_supervisor_listed_on_a_hotline_box_may_watch_it()
    {
        _mwi.As = "1002";
        Assert.Equal(200, _mwi.Subscribe("12345").StatusCode);
        Leave("12345");
        _mwi.Answer(_mwi.Sender.WaitFor(SipMethod.Notify, 1));
        var notify = _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Assert.Contains("Message-Account: sip:12345@hotline\r\n", notify.BodyText);
        Assert.Contains("Messages-Waiting: yes", notify.BodyText);
    }

    [Fact]
    public void Unsolicited_NOTIFYs_go_to_every_registered_phone_on_change_and_on_registration()
    {
        _ivr.Voicemail.SaveMailbox(new Mailbox { Id = "1003", UnsolicitedMwi = true });
        Leave("1003");
        Assert.Empty(_mwi.Sender.Requests(SipMethod.Notify));
        Register("1003", "sip:1003@192.168.1.30:5060");
        var onRegister = _mwi.Sender.WaitFor(SipMethod.Notify, 1);
        Assert.Equal("sip:1003@192.168.1.30:5060", onRegister.RequestUriText);
        Assert.Contains("Voice-Message: 1/0 (0/0)", onRegister.BodyText);
        Assert.Equal("message-summary", onRegister.GetHeader(HeaderId.Event));
        Register("1003", "sip:1003@192.168.1.31:5060");
        _mwi.Sender.WaitFor(SipMethod.Notify, 2);
        Leave("1003");
        var toBoth = _mwi.Sender.Requests(SipMethod.Notify).Skip(2).ToList();
        Assert.Equal(2, toBoth.Count);
        Assert.All(toBoth, n => Assert.Contains("Voice-Message: 2/0 (0/0)", n.BodyText));
        Assert.Equal(["sip:1003@192.168.1.30:5060", "sip:1003@192.168.1.31:5060"], toBoth.Select(n => n.RequestUriText).Order());
    }

    private void Register(string aor, string contact) =>
        Assert.True(_mwi.Bindings!.Apply(aor, new RegisterUpdate("reg-" + contact, 1, false, [new ContactUpdate(contact, "", 3600)],
            SipTransportKind.Udp, "192.168.1.30", 5060, 0, "phone"), out _));
}
