using Hotline.Switch.Cdrs;

namespace Hotline.Interop.Tests;

/// <summary>
/// Two baresip phones (1001 plays 440 Hz, 1002 plays 1000 Hz) call each other through the switch:
/// each hears the other's tone and nothing of its own, the switch's stereo recording has the caller
/// left and the callee right, and the CDR read back through the REST API says who, when, how long
/// and who hung up.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsBasicTests(CallsDemoSwitch fixture) : CallsTest(fixture), IClassFixture<CallsDemoSwitch>
{
    private const int CallerHz = 440;
    private const int CalleeHz = 1000;
    private const double TalkSeconds = 4;

    [Theory]
    [InlineData(HangupSide.Caller)]
    [InlineData(HangupSide.Callee)]
    public async Task A_call_between_two_phones_carries_each_tone_to_the_other_side_records_both_and_writes_its_CDR(HangupSide side)
    {
        // One pair of extensions per case: a phone from the previous case may still be unregistering.
        var (callerNumber, calleeNumber) = side == HangupSide.Caller ? ("1001", "1002") : ("1003", "1004");
        await using var caller = await PhoneAsync(callerNumber, CallerHz, answer: "manual");
        await using var callee = await PhoneAsync(calleeNumber, CalleeHz);

        var callId = await CallAsync(caller, callee, calleeNumber);
        await Task.Delay(TimeSpan.FromSeconds(TalkSeconds), Cancellation);
        var (hangingUp, other) = side == HangupSide.Caller ? (caller, callee) : (callee, caller);
        await hangingUp.CommandAsync("hangup");
        var closed = await other.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10));
        Assert.True(closed is not null, Explain($"{other.User} was not told the call ended after {hangingUp.User} hung up", caller.Process, callee.Process));

        var admin = await Fixture.AdminAsync();
        var cdr = await admin.WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr is not null, Explain($"no CDR for call {callId} at {admin.BaseAddress}api/cdrs"));
        await caller.QuitAsync();
        await callee.QuitAsync();

        // What each phone heard: the other's tone for the whole conversation, never its own.
        var calleeHeard = ToneAnalysis.Windows(callee.Heard());
        var callerHeard = ToneAnalysis.Windows(caller.Heard());
        AssertTone(calleeHeard, CallerHz, TalkSeconds - 1, $"{calleeNumber} should hear {callerNumber}", caller.Process, callee.Process);
        AssertNoTone(calleeHeard, CalleeHz, $"{calleeNumber} should not hear itself", caller.Process, callee.Process);
        AssertTone(callerHeard, CalleeHz, TalkSeconds - 1, $"{callerNumber} should hear {calleeNumber}", caller.Process, callee.Process);
        AssertNoTone(callerHeard, CallerHz, $"{callerNumber} should not hear itself", caller.Process, callee.Process);
        var soxCallee = await Sox.StatAsync(this, callee.Heard().Path);
        Assert.InRange(soxCallee.RoughFrequency, CallerHz * 0.9, CallerHz * 1.1);

        // The CDR: parties, times, disposition, who hung up, and a recording that exists.
        Assert.Equal(callerNumber, cdr.Caller);
        Assert.Equal(calleeNumber, cdr.Callee);
        Assert.Equal(calleeNumber, cdr.Extension);
        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.Equal(side, cdr.HangupSide);
        Assert.Equal("200 BYE", cdr.HangupCause);
        Assert.NotNull(cdr.Answer);
        var answered = cdr.Answer.Value;
        Assert.True(cdr.Start <= answered && answered < cdr.End, Explain($"times out of order: {AdminApi.Show(cdr)}"));
        var talked = (cdr.End - answered).TotalSeconds;
        Assert.True(talked >= TalkSeconds && talked < TalkSeconds + 3, Explain($"answer to end {talked:0.0} s, the phones talked {TalkSeconds} s: {AdminApi.Show(cdr)}"));
        Assert.Equal((int)Math.Ceiling(talked), cdr.BillableSeconds);
        Assert.True(cdr.BillableSeconds > 0);
        var day = answered.UtcDateTime;
        var folder = Path.Combine(Fixture.Switch.Directory, "data", "recordings", $"{day:yyyy}", $"{day:MM}", $"{day:dd}");
        Assert.Equal(Path.Combine(folder, callId + ".wav"), cdr.RecordingPath);
        Assert.Equal([cdr.RecordingPath!], cdr.Recordings);

        // Its legs: the callee's answered when the call did, both carried RTP.
        var callerLeg = Assert.Single(cdr.Legs, l => l.Role == "caller");
        var calleeLeg = Assert.Single(cdr.Legs, l => l.Role == "callee");
        Assert.Equal(callerNumber, callerLeg.Peer);
        Assert.Equal(callId, callerLeg.CallId);
        Assert.Equal(calleeNumber, calleeLeg.Peer);
        Assert.Equal(200, calleeLeg.FinalStatus);
        Assert.NotNull(calleeLeg.Answer);
        Assert.True(Math.Abs((calleeLeg.Answer.Value - answered).TotalSeconds) < 1,
            Explain($"the callee's leg says it answered at {calleeLeg.Answer:HH:mm:ss.fff}, the call was answered at {answered:HH:mm:ss.fff}: {AdminApi.Show(cdr)}"));
        foreach (var leg in new[] { callerLeg, calleeLeg })
        {
            Assert.True(leg.PacketsReceived >= TalkSeconds * 50 * 0.8, Explain($"leg {leg.Peer} received {leg.PacketsReceived} RTP packets in {TalkSeconds} s"));
            Assert.NotNull(leg.Codec);
        }

        // The switch's stereo recording: caller left, callee right, as long as the conversation.
        var recording = await SwitchRecordingAsync(cdr.RecordingPath!);
        Assert.Equal(2, recording.Channels);
        Assert.InRange(recording.Seconds, talked - 1, talked + 0.5);
        var left = ToneAnalysis.Windows(recording, 0);
        var right = ToneAnalysis.Windows(recording, 1);
        AssertTone(left, CallerHz, TalkSeconds - 1, "the recording's left channel should be the caller");
        AssertNoTone(left, CalleeHz, "the callee leaks into the recording's left channel");
        AssertTone(right, CalleeHz, TalkSeconds - 1, "the recording's right channel should be the callee");
        AssertNoTone(right, CallerHz, "the caller leaks into the recording's right channel");
        var soxLeft = await Sox.StatAsync(this, recording.Path, 1);
        var soxRight = await Sox.StatAsync(this, recording.Path, 2);
        Assert.InRange(soxLeft.RoughFrequency, CallerHz * 0.9, CallerHz * 1.1);
        Assert.InRange(soxRight.RoughFrequency, CalleeHz * 0.9, CalleeHz * 1.1);
    }
}
