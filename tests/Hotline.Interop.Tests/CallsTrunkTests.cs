using System.Globalization;
using System.Text.RegularExpressions;
using Hotline.Interop.Tests.Harness;
using Hotline.Switch.Cdrs;

namespace Hotline.Interop.Tests;

/// <summary>
/// SIPp as the carrier's side of a trunk, a baresip phone as the extension: a carrier's call to a DID
/// rings the extension, a phone's call through the prefix route reaches the carrier with the number
/// rewritten, and a trunk that refuses (503), stays silent (Timer B) or is down (OPTIONS keep-alive)
/// gives way to the next trunk of the route. SIPp streams a 1000 Hz mu-law tone (rtp_stream), the phone
/// plays 440 Hz; each side's tone is checked where it should arrive.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsTrunkTests(CallsTrunkSwitch fixture) : CallsTest(fixture), IClassFixture<CallsTrunkSwitch>
{
    private const int PhoneHz = 440;
    private const int CarrierHz = 1000;
    private const string Tone = "calls-trunk-tone.ulaw";
    private const string National = "01062345678";
    private const double TalkSeconds = 4;

    private CallsTrunkSwitch Trunks => (CallsTrunkSwitch)Fixture;

    [Fact]
    public async Task A_carriers_call_to_a_DID_rings_its_extension_and_each_side_hears_the_other()
    {
        await using var phone = await PhoneAsync(CallsTrunkSwitch.DidExtension, PhoneHz);
        await MakeToneAsync();

        var result = await RunSippAsync("calls-trunk-uac.xml", "carrier-uac", new SippOptions
        {
            Service = CallsTrunkSwitch.Did, LocalPort = Trunks.CarrierPort, TimeoutSeconds = 30,
        });
        Assert.True(result.ExitCode == 0, Explain($"the carrier's call did not go through: {result.Summary}\n{result.Errors}", result.Process, phone.Process));
        Assert.True(await phone.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain($"{phone.User} was not told the carrier hung up", phone.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(c => c.Did == CallsTrunkSwitch.Did, TimeSpan.FromSeconds(10));
        Assert.True(cdr?.RecordingPath is not null, Explain($"no CDR with a recording for the call to DID {CallsTrunkSwitch.Did}: {AdminApi.Show(cdr)}"));
        await phone.QuitAsync();

        // The record: from the carrier trunk, to the DID, answered by its extension, ended by the carrier.
        Assert.Equal("carrier", cdr.InboundTrunk);
        Assert.Null(cdr.OutboundTrunk);
        Assert.Equal(CallsTrunkSwitch.DidExtension, cdr.Extension);
        Assert.EndsWith("13800138000", cdr.Caller, StringComparison.Ordinal);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupSide.Caller, cdr.HangupSide);

        // The phone hears the carrier's tone; the carrier's side of the recording is that tone, the phone's side 440 Hz.
        var heard = ToneAnalysis.Windows(phone.Heard());
        AssertTone(heard, CarrierHz, 3, $"{phone.User} should hear the carrier", phone.Process, result.Process);
        AssertNoTone(heard, PhoneHz, $"{phone.User} should not hear itself", phone.Process);
        var recording = await SwitchRecordingAsync(cdr.RecordingPath);
        AssertTone(ToneAnalysis.Windows(recording, 0), CarrierHz, 3, "the recording's left channel should be the carrier (the caller)");
        AssertTone(ToneAnalysis.Windows(recording, 1), PhoneHz, 3, "the recording's right channel should be the extension");
        var carrierLeg = Assert.Single(cdr.Legs, l => l.Role == "caller");
        Assert.True(carrierLeg.PacketsSent >= 3 * 50, Explain($"the switch sent the carrier {carrierLeg.PacketsSent} RTP packets: {AdminApi.Show(cdr)}"));
    }

    [Fact]
    public async Task A_call_through_the_prefix_route_reaches_the_carrier_with_the_prefix_stripped_and_the_trunks_caller_ID()
    {
        await using var phone = await PhoneAsync("1001", PhoneHz, answer: "manual");
        await MakeToneAsync();
        var carrier = StartUas("calls-trunk-uas.xml", "carrier-uas", Trunks.CarrierPort);

        var callId = await DialOutAsync(phone, "9" + National, TimeSpan.FromSeconds(15), carrier.Process);
        await Task.Delay(TimeSpan.FromSeconds(TalkSeconds), Cancellation);
        await phone.CommandAsync("hangup");
        var done = await carrier.FinishAsync(this, TimeSpan.FromSeconds(15));
        Assert.True(done.ExitCode == 0, Explain($"the carrier's side did not finish its call: {done.Summary}\n{done.Errors}", done.Process, phone.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr?.RecordingPath is not null, Explain($"no CDR with a recording for {callId}: {AdminApi.Show(cdr)}"));
        await phone.QuitAsync();

        // What the carrier was asked: the national number without the route's prefix, from the trunk's caller ID.
        var invite = SippInvites(done.Messages).First();
        Assert.Equal(National, RequestUser(invite));
        Assert.Matches($@"(?im)^(From|f):[^\r\n]*sip:{CallsTrunkSwitch.CallerId}@", invite);
        Assert.Matches(@"(?im)^P-Asserted-Identity:[^\r\n]*sip:1001@", invite);

        Assert.Equal("carrier", cdr.OutboundTrunk);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(HangupSide.Caller, cdr.HangupSide);
        var leg = Assert.Single(cdr.Legs, l => l.Role == "callee");
        Assert.Equal($"carrier:{National}", leg.Peer);
        Assert.Equal(200, leg.FinalStatus);

        var heard = ToneAnalysis.Windows(phone.Heard());
        AssertTone(heard, CarrierHz, TalkSeconds - 1, "the phone should hear the carrier", phone.Process, done.Process);
        AssertNoTone(heard, PhoneHz, "the phone should not hear itself", phone.Process);
        var recording = await SwitchRecordingAsync(cdr.RecordingPath);
        AssertTone(ToneAnalysis.Windows(recording, 0), PhoneHz, TalkSeconds - 1, "the recording's left channel should be the phone");
        AssertTone(ToneAnalysis.Windows(recording, 1), CarrierHz, TalkSeconds - 1, "the recording's right channel should be the carrier");
        Assert.True(leg.PacketsSent >= (TalkSeconds - 1) * 50, Explain($"the switch sent the carrier {leg.PacketsSent} RTP packets: {AdminApi.Show(cdr)}"));
    }

    public enum TrunkFault { Refuses503, Silent, Down }

    [Theory]
    [InlineData(TrunkFault.Refuses503)]
    [InlineData(TrunkFault.Silent)]
    [InlineData(TrunkFault.Down)]
    public async Task A_trunk_that_cannot_take_the_call_gives_way_to_the_next_trunk_of_the_route(TrunkFault fault)
    {
        // One extension per case: the previous case's phone may still be unregistering.
        var (user, prefix, trunk) = fault switch
        {
            TrunkFault.Refuses503 => ("1003", "81", "out-503"),
            TrunkFault.Silent => ("1004", "82", "out-silent"),
            _ => ("1005", "83", "out-dead"),
        };
        await using var phone = await PhoneAsync(user, PhoneHz, answer: "manual");
        await MakeToneAsync();
        if (fault == TrunkFault.Down)
        {
            var down = await Switch.WaitForLogAsync(new Regex(@"trunk out-dead: down"), TimeSpan.FromSeconds(30));
            Assert.True(down is not null, Explain("the keep-alive never marked out-dead down"));
        }
        var failing = fault switch
        {
            TrunkFault.Refuses503 => StartUas("calls-trunk-uas-503.xml", "out-503", Trunks.Port503),
            TrunkFault.Silent => StartUas("calls-trunk-uas-silent.xml", "out-silent", Trunks.SilentPort),
            _ => null,
        };
        var backup = StartUas("calls-trunk-uas.xml", "backup", Trunks.BackupPort);

        // Timer B (64·T1 = 32 s) runs out before the switch gives up on a silent trunk.
        var within = TimeSpan.FromSeconds(fault == TrunkFault.Silent ? 50 : 15);
        var callId = await DialOutAsync(phone, prefix + National, within, backup.Process);
        await Task.Delay(TimeSpan.FromSeconds(TalkSeconds), Cancellation);
        await phone.CommandAsync("hangup");
        var done = await backup.FinishAsync(this, TimeSpan.FromSeconds(15));
        Assert.True(done.ExitCode == 0, Explain($"the backup trunk did not finish its call: {done.Summary}\n{done.Errors}", done.Process, phone.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr is not null, Explain($"no CDR for {callId}"));
        await phone.QuitAsync();

        // The backup was asked for the same number, and the phone hears it.
        Assert.Equal(National, RequestUser(SippInvites(done.Messages).First()));
        AssertTone(ToneAnalysis.Windows(phone.Heard()), CarrierHz, TalkSeconds - 1, "the phone should hear the backup trunk", phone.Process, done.Process);
        Assert.Equal("backup", cdr.OutboundTrunk);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        var backupLeg = Assert.Single(cdr.Legs, l => l.Peer == $"backup:{National}");
        Assert.Equal(200, backupLeg.FinalStatus);

        // What the first trunk saw and how the switch recorded its attempt.
        var firstLegs = cdr.Legs.Where(l => l.Peer == $"{trunk}:{National}").ToList();
        switch (fault)
        {
            case TrunkFault.Refuses503:
                var refused = await failing!.FinishAsync(this, TimeSpan.FromSeconds(10));
                Assert.True(refused.ExitCode == 0, Explain($"out-503 did not get its INVITE and ACK: {refused.Summary}\n{refused.Errors}", refused.Process));
                Assert.Equal(503, Assert.Single(firstLegs).FinalStatus);
                break;
            case TrunkFault.Silent:
                var invites = Regex.Matches(failing!.Process.Output + Read(failing.MessageLog), @"(?m)^INVITE sip:").Count;
                Assert.True(invites >= 2, Explain($"out-silent received {invites} INVITEs: the switch should have retransmitted until Timer B", failing.Process));
                Assert.Equal(408, Assert.Single(firstLegs).FinalStatus);
                break;
            default:
                // Down: skipped without an INVITE (nothing listens there anyway), and the log says why.
                Assert.Empty(firstLegs);
                Assert.True(Switch.LogLines.Any(l => l.Contains($"trunk out-dead skipped", StringComparison.Ordinal)),
                    Explain("the switch did not log that it skipped out-dead"));
                break;
        }
    }

    /// <summary>An SIPp agent answering on <paramref name="port"/> (the trunk's address), running in the background.</summary>
    private SippAgent StartUas(string scenario, string name, int port)
    {
        var args = Sipp.Arguments(SwitchTarget, Sipp.Scenario(scenario), Folder, name, new SippOptions { LocalPort = port, TimeoutSeconds = 90 });
        return new SippAgent(Start("sipp", args, name), name, Path.Combine(Folder, name + ".msg.log"));
    }

    private sealed record SippAgent(ExternalProcess Process, string Name, string MessageLog)
    {
        public async Task<SippResult> FinishAsync(CallsTrunkTests test, TimeSpan within)
        {
            var code = await Process.WaitForExitAsync(within);
            return Sipp.Result(Process, code, test.Folder, Name);
        }
    }

    /// <summary>Dials <paramref name="number"/> and waits until the phone says the call is established; its Call-ID.</summary>
    private async Task<string> DialOutAsync(BaresipPhone phone, string number, TimeSpan within, params ExternalProcess[] others)
    {
        await phone.CommandAsync("dial", $"sip:{number}@{SwitchTarget}");
        var established = await phone.WaitForEventAsync("CALL_ESTABLISHED", within);
        Assert.True(established is not null, Explain($"{phone.User}'s call to {number} was never answered", [phone.Process, .. others]));
        return established.CallId ?? throw new InvalidOperationException("CALL_ESTABLISHED without a call id");
    }

    /// <summary>The carrier's tone: raw 8 kHz mu-law (rtp_stream sends the file's bytes as PCMU payloads), in SIPp's working directory.</summary>
    private Task MakeToneAsync() => MakeUlawToneAsync(Tone, CarrierHz);

    /// <summary>The INVITEs in a SIPp message log (-trace_msg), each as its text.</summary>
    private static List<string> SippInvites(string messages) =>
        Regex.Split(messages, @"-{20,}").Select(b => b[(b.IndexOf("INVITE sip:", StringComparison.Ordinal) is var i and >= 0 ? i : b.Length)..])
            .Where(b => b.StartsWith("INVITE sip:", StringComparison.Ordinal)).ToList();

    private static string RequestUser(string invite) => Regex.Match(invite, @"^INVITE sips?:([^@;> ]+)@").Groups[1].Value;

    private static string Read(string path)
    {
        if (!File.Exists(path)) return "";
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }
}
