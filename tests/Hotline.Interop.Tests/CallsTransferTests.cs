using Hotline.Interop.Tests.Harness;

namespace Hotline.Interop.Tests;

/// <summary>
/// Call transfer with 1002 as the party who stays and 1003 as the target, both baresip phones.
/// Blind (RFC 3515 REFER) with baresip's own transfer command: 1001 talks to 1002, then refers it to
/// 1003; the switch dials 1003 for 1002, joins them (media is anchored, so 1002 is not re-INVITEd),
/// tells 1001 how it went in NOTIFYs carrying sipfrag (RFC 3420), and 1001 hangs up on the final
/// "200 OK". Attended (RFC 3891 Replaces) with SIPp as 1001, since baresip 1.0 cannot send Replaces.
/// Afterwards 1002 and 1003 hear each other and nothing of 1001.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsTransferTests(CallsDemoSwitch fixture) : CallsTest(fixture), IClassFixture<CallsDemoSwitch>
{
    private const int TransferorHz = 440;
    private const int StayingHz = 1000;
    private const int TargetHz = 700;
    private const double BeforeSeconds = 3;
    private const double AfterSeconds = 4;

    [Fact]
    public async Task A_blind_transfer_connects_the_staying_party_to_the_target_and_reports_progress_in_sipfrag_NOTIFYs()
    {
        await using var transferor = await PhoneAsync("1001", TransferorHz, answer: "manual", sipTrace: true);
        await using var staying = await PhoneAsync("1002", StayingHz);
        await using var target = await PhoneAsync("1003", TargetHz);
        var peers = new[] { transferor.Process, staying.Process, target.Process };

        var callId = await CallAsync(transferor, staying, "1002");
        await Task.Delay(TimeSpan.FromSeconds(BeforeSeconds), Cancellation);
        await transferor.CommandAsync("transfer", $"sip:1003@{SwitchTarget}");

        var answered = await target.WaitForEventAsync("CALL_ESTABLISHED", TimeSpan.FromSeconds(10));
        Assert.True(answered is not null, Explain("the transfer target 1003 never answered a call", peers));
        var closed = await transferor.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10));
        Assert.True(closed is not null, Explain("the transferor 1001 still has its call after the transfer", peers));
        // baresip ends the referring call with this reason only on a sipfrag of 2xx (its NOTIFY handler).
        Assert.True(closed.Param?.Contains("transfer", StringComparison.OrdinalIgnoreCase) == true,
            Explain($"1001's call ended with '{closed.Param}', not on a successful transfer report", peers));
        await Task.Delay(TimeSpan.FromSeconds(AfterSeconds), Cancellation);
        Assert.Equal(0, staying.Count("CALL_CLOSED"));
        await staying.CommandAsync("hangup");
        Assert.True(await target.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain("1003 was not told the call ended when 1002 hung up", peers));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr is not null, Explain($"no CDR for {callId}"));
        foreach (var phone in new[] { transferor, staying, target }) await phone.QuitAsync();

        // The NOTIFYs 1001 received: Event refer, sipfrag bodies, the last one "SIP/2.0 200 OK" ending the subscription.
        var notifies = ReceivedNotifies(transferor.SipTrace);
        Assert.True(notifies.Count > 0, Explain("1001 received no NOTIFY", transferor.Process));
        Assert.All(notifies, n =>
        {
            Assert.Matches(@"(?im)^(Event|o):\s*refer\s*$", n);
            Assert.Matches(@"(?im)^(Content-Type|c):\s*message/sipfrag", n);
        });
        var fragments = notifies.Select(Sipfrag).ToList();
        var progress = string.Join(", ", fragments);
        Assert.True(fragments[0] == "SIP/2.0 100 Trying" && fragments[^1] == "SIP/2.0 200 OK",
            Explain($"the sipfrags should go from 100 Trying to 200 OK, 1001 got: {progress}", transferor.Process));
        Assert.All(fragments.SkipLast(1), f => Assert.Matches(@"^SIP/2\.0 1\d\d ", f));
        Assert.All(notifies.SkipLast(1), n => Assert.Matches(@"(?im)^Subscription-State:\s*active", n));
        Assert.Matches(@"(?im)^Subscription-State:\s*terminated", notifies[^1]);

        // 1002 heard 1001, then 1003; 1003 heard only 1002.
        var stayingHeard = ToneAnalysis.Windows(staying.Heard());
        var targetHeard = ToneAnalysis.Windows(target.Heard());
        AssertTone(stayingHeard, TransferorHz, BeforeSeconds - 1, "1002 should hear 1001 before the transfer", peers);
        AssertTone(stayingHeard, TargetHz, AfterSeconds - 1, "1002 should hear 1003 after the transfer", peers);
        var firstTarget = stayingHeard.First(w => w.Is(TargetHz)).Start;
        AssertNoTone(stayingHeard.Where(w => w.Start > firstTarget).ToList(), TransferorHz, "1002 still hears 1001 after the transfer", peers);
        AssertTone(targetHeard, StayingHz, AfterSeconds - 1, "1003 should hear 1002", peers);
        AssertNoTone(targetHeard, TransferorHz, "1003 should never hear the transferor", peers);
        AssertNoTone(targetHeard, TargetHz, "1003 should not hear itself", peers);

        // The call's record: 1002 now with 1003, who joined as the transfer leg.
        var leg = Assert.Single(cdr.Legs, l => l.Role == "transfer");
        Assert.Equal("1003", leg.Peer);
        Assert.NotNull(leg.Answer);
        Assert.True(leg.PacketsReceived >= (AfterSeconds - 1) * 50, Explain($"1003's leg received {leg.PacketsReceived} RTP packets: {AdminApi.Show(cdr)}"));
        Assert.Equal("1003", cdr.Extension);
    }

    [Fact]
    public async Task An_attended_transfer_joins_the_two_parties_the_transferor_was_talking_to()
    {
        // SIPp is 1001, the transferor: baresip 1.0 has no attended transfer (no Replaces).
        await using var staying = await PhoneAsync("1002", StayingHz);
        await using var target = await PhoneAsync("1003", TargetHz);
        var peers = new[] { staying.Process, target.Process };

        var transferor = await RunSippAsync("calls-attended-transferor.xml", "transferor", new SippOptions
        {
            AuthUser = "1001", AuthPassword = "hotline1001", TimeoutSeconds = 30, Extra = ["-cid_str", "%u-%p-xfer"],
        });
        Assert.True(transferor.ExitCode == 0,
            Explain($"the transferor's scenario failed (it needs 202, a 100 then a final 200 OK sipfrag, and dialog 2 ended): {transferor.Summary}\n{transferor.Errors}",
                [transferor.Process, .. peers]));
        var notifies = ReceivedNotifiesFromSipp(transferor.Messages);
        Assert.Equal(["SIP/2.0 100 Trying", "SIP/2.0 200 OK"], notifies.Select(Sipfrag));
        Assert.Matches(@"(?im)^Subscription-State:\s*terminated", notifies[^1]);

        // Each phone had one call the whole time (media is anchored: neither is re-INVITEd), now with the other.
        await Task.Delay(TimeSpan.FromSeconds(AfterSeconds), Cancellation);
        Assert.Equal(0, staying.Count("CALL_CLOSED"));
        Assert.Equal(0, target.Count("CALL_CLOSED"));
        await staying.CommandAsync("hangup");
        Assert.True(await target.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain("1003 was not told the call ended when 1002 hung up", peers));
        var admin = await Fixture.AdminAsync();
        var first = await admin.WaitForCdrAsync(c => c.CallId.EndsWith("-xfer", StringComparison.Ordinal) && !c.CallId.StartsWith("c2///", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var second = await admin.WaitForCdrAsync(c => c.CallId.StartsWith("c2///", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        await staying.QuitAsync();
        await target.QuitAsync();

        var stayingHeard = ToneAnalysis.Windows(staying.Heard());
        var targetHeard = ToneAnalysis.Windows(target.Heard());
        AssertTone(stayingHeard, TargetHz, AfterSeconds - 1, "1002 should hear 1003 after the transfer", peers);
        AssertTone(targetHeard, StayingHz, AfterSeconds - 1, "1003 should hear 1002 after the transfer", peers);
        AssertNoTone(stayingHeard, StayingHz, "1002 should not hear itself", peers);
        AssertNoTone(targetHeard, TargetHz, "1003 should not hear itself", peers);

        // The records: the first call goes on with 1003 taken over as its transfer leg; the second ends as transferred.
        Assert.True(first is not null && second is not null, Explain($"missing CDRs: first {AdminApi.Show(first)}, second {AdminApi.Show(second)}"));
        var leg = Assert.Single(first.Legs, l => l.Role == "transfer");
        Assert.Equal("1003", leg.Peer);
        Assert.Equal("1003", first.Extension);
        Assert.Equal("202 Transferred", second.HangupCause);
    }

    /// <summary>The NOTIFY requests in a SIPp message log (-trace_msg), each as its text.</summary>
    private static List<string> ReceivedNotifiesFromSipp(string messages) =>
        System.Text.RegularExpressions.Regex.Split(messages, "-{40,}")
            .Where(b => b.Contains("message received", StringComparison.Ordinal))
            .Select(b => b[(b.IndexOf("NOTIFY sip:", StringComparison.Ordinal) is var i and >= 0 ? i : b.Length)..])
            .Where(b => b.StartsWith("NOTIFY sip:", StringComparison.Ordinal))
            .DistinctBy(b => System.Text.RegularExpressions.Regex.Match(b, @"(?im)^CSeq:\s*(\d+)").Groups[1].Value)
            .ToList();

    /// <summary>The status line a NOTIFY's message/sipfrag body carries.</summary>
    private static string Sipfrag(string notify)
    {
        var body = notify.Split(["\r\n\r\n", "\n\n"], 2, StringSplitOptions.None);
        return body.Length == 2 ? body[1].Trim().Split('\n')[0].TrimEnd('\r') : "";
    }

    /// <summary>
    /// The NOTIFY requests in baresip's SIP trace (-s), each as its message text. libre prints every
    /// message as ESC[36;1m "#", a line "UDP from -> to", the message, then ESC[;m.
    /// </summary>
    private static List<string> ReceivedNotifies(string trace) =>
        trace.Split("\u001b[36;1m#", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split("\u001b[;m")[0].TrimStart('\r', '\n'))
            .Select(block => block.Contains('\n') ? block[(block.IndexOf('\n') + 1)..] : "")
            .Where(message => message.StartsWith("NOTIFY ", StringComparison.Ordinal))
            .ToList();
}
