namespace Hotline.Interop.Tests;

/// <summary>
/// Codec mismatch: 1001 offers only Opus, 1002 only PCMA. No codec is common to both phones, so the
/// switch must answer each in its own codec and transcode between them in the media engine; the tones
/// are checked at both phones (decoded by baresip, an independent Opus and G.711 implementation) and in
/// the switch's recording.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsCodecTests(CallsDemoSwitch fixture) : CallsTest(fixture), IClassFixture<CallsDemoSwitch>
{
    private const int OpusHz = 440;
    private const int PcmaHz = 1000;
    // Transcoding runs on the engine's 20 ms ticks, which an overloaded machine can stall (the engine then
    // skips frames rather than burst them): the call lasts longer than the clean stretch each side must hear.
    private const double TalkSeconds = 6;
    private const double HeardSeconds = 3;

    [Fact]
    public async Task An_Opus_only_phone_and_a_PCMA_only_phone_hear_each_other_through_the_transcoding_switch()
    {
        await using var opus = await PhoneAsync("1001", OpusHz, codecs: "opus/48000/2", answer: "manual");
        await using var pcma = await PhoneAsync("1002", PcmaHz, codecs: "PCMA");

        var callId = await CallAsync(opus, pcma, "1002");
        await Task.Delay(TimeSpan.FromSeconds(TalkSeconds), Cancellation);
        await opus.CommandAsync("hangup");
        Assert.True(await pcma.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain("1002 was not told the call ended", opus.Process, pcma.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr?.RecordingPath is not null, Explain($"no CDR with a recording for {callId}: {AdminApi.Show(cdr)}"));
        await opus.QuitAsync();
        await pcma.QuitAsync();

        // Each phone negotiated the one codec it offered (baresip logs the decoder it set up).
        AssertDecoder(opus, "opus");
        AssertDecoder(pcma, "PCMA");
        var callerLeg = Assert.Single(cdr.Legs, l => l.Role == "caller");
        var calleeLeg = Assert.Single(cdr.Legs, l => l.Role == "callee");
        Assert.Equal("opus", callerLeg.Codec, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("PCMA", calleeLeg.Codec, StringComparer.OrdinalIgnoreCase);

        // Each hears the other's tone, transcoded, and never its own.
        var pcmaHeard = ToneAnalysis.Windows(pcma.Heard());
        var opusHeard = ToneAnalysis.Windows(opus.Heard());
        AssertTone(pcmaHeard, OpusHz, HeardSeconds, "the PCMA phone should hear the Opus phone", opus.Process, pcma.Process);
        AssertNoTone(pcmaHeard, PcmaHz, "the PCMA phone should not hear itself", opus.Process, pcma.Process);
        AssertTone(opusHeard, PcmaHz, HeardSeconds, "the Opus phone should hear the PCMA phone", opus.Process, pcma.Process);
        AssertNoTone(opusHeard, OpusHz, "the Opus phone should not hear itself", opus.Process, pcma.Process);
        var soxPcma = await Sox.StatAsync(this, pcma.Heard().Path);
        var soxOpus = await Sox.StatAsync(this, opus.Heard().Path);
        Assert.InRange(soxPcma.RoughFrequency, OpusHz * 0.9, OpusHz * 1.1);
        Assert.InRange(soxOpus.RoughFrequency, PcmaHz * 0.9, PcmaHz * 1.1);

        // The recording has both, decoded from their own codecs: Opus caller left, PCMA callee right.
        var recording = await SwitchRecordingAsync(cdr.RecordingPath);
        AssertTone(ToneAnalysis.Windows(recording, 0), OpusHz, HeardSeconds, "the recording's left channel should be the Opus caller");
        AssertTone(ToneAnalysis.Windows(recording, 1), PcmaHz, HeardSeconds, "the recording's right channel should be the PCMA callee");
    }

    private void AssertDecoder(BaresipPhone phone, string codec)
    {
        var line = phone.Process.StdoutLines.Concat(phone.Process.StderrLines)
            .LastOrDefault(l => l.Contains("Set audio decoder", StringComparison.Ordinal));
        Assert.True(line is not null && line.Contains(codec, StringComparison.OrdinalIgnoreCase),
            Explain($"baresip {phone.User} should decode {codec}, its log says: {line ?? "(no 'Set audio decoder' line)"}", phone.Process));
    }
}
