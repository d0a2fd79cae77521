namespace Hotline.Interop.Tests;

/// <summary>
/// Hold and resume with baresip's own hold (a re-INVITE with a=sendonly, then a=sendrecv): the held
/// party hears the switch's music on hold — with data/moh empty, its soft tone, 450 Hz for 300 ms every
/// 5 s — instead of the holder, and the conversation comes back on resume. Nobody else is re-INVITEd:
/// media is anchored in the switch.
/// </summary>
[Collection(CallsCollection.Name)]
public sealed class CallsHoldTests(CallsDemoSwitch fixture) : CallsTest(fixture), IClassFixture<CallsDemoSwitch>
{
    private const int HolderHz = 440;
    private const int HeldHz = 1000;
    private const int MusicOnHoldHz = 450;
    private const double BeforeSeconds = 2;
    // Longer than one cycle of the fallback tone (5 s), so at least one beep falls inside.
    private const double HoldSeconds = 6;
    private const double AfterSeconds = 3;

    [Fact]
    public async Task The_held_party_hears_music_on_hold_instead_of_the_holder_and_the_conversation_returns_on_resume()
    {
        await using var holder = await PhoneAsync("1005", HolderHz, answer: "manual");
        await using var held = await PhoneAsync("1006", HeldHz);
        var callId = await CallAsync(holder, held, "1006");

        await Task.Delay(TimeSpan.FromSeconds(BeforeSeconds), Cancellation);
        await holder.CommandAsync("hold");
        await Task.Delay(TimeSpan.FromSeconds(HoldSeconds), Cancellation);
        await holder.CommandAsync("resume");
        await Task.Delay(TimeSpan.FromSeconds(AfterSeconds), Cancellation);
        await holder.CommandAsync("hangup");
        Assert.True(await held.WaitForEventAsync("CALL_CLOSED", TimeSpan.FromSeconds(10)) is not null,
            Explain("the held party was not told the call ended", holder.Process, held.Process));
        var cdr = await (await Fixture.AdminAsync()).WaitForCdrAsync(callId, TimeSpan.FromSeconds(10));
        Assert.True(cdr?.RecordingPath is not null, Explain($"no CDR with a recording for {callId}: {AdminApi.Show(cdr)}"));
        await holder.QuitAsync();
        await held.QuitAsync();

        // The held party: the holder's tone, then music on hold (never the holder), then the holder again.
        var heard = ToneAnalysis.Windows(held.Heard());
        var content = ToneAnalysis.Describe(heard);
        var runs = Runs(heard, HolderHz, minimumWindows: 4);
        Assert.True(runs.Count >= 2, Explain($"the held party should hear the holder before the hold and after the resume; content:\n{content}", holder.Process, held.Process));
        var (first, last) = (runs[0], runs[^1]);
        Assert.True(first.Seconds >= BeforeSeconds - 1 && last.Seconds >= AfterSeconds - 1,
            Explain($"the holder's tone lasted {first.Seconds:0.0} s before and {last.Seconds:0.0} s after; content:\n{content}", holder.Process, held.Process));
        var hold = heard.Where(w => w.Start >= first.End && w.Start < last.Start).ToList();
        var holdSeconds = hold.Count * 0.25;
        Assert.True(holdSeconds >= HoldSeconds - 1.5, Explain($"the hold lasted {holdSeconds:0.0} s for the held party, want about {HoldSeconds}; content:\n{content}", holder.Process, held.Process));
        AssertNoTone(hold, HolderHz, "the held party hears the holder during the hold", holder.Process, held.Process);
        Assert.True(hold.Any(w => w.Is(MusicOnHoldHz)),
            Explain($"no music-on-hold tone ({MusicOnHoldHz} Hz) reached the held party during {holdSeconds:0.0} s of hold; content:\n{content}", holder.Process, held.Process));
        AssertNoTone(heard, HeldHz, "the held party hears itself", holder.Process, held.Process);

        // The holder: the held party before the hold (baresip 1.0 stops its sndfile recording at a local
        // hold and does not restart it, so after the resume only its packet counts can speak). Each packet
        // the switch sends continues the sequence (RFC 3550 §5.1): none of the hold counts as lost.
        AssertTone(ToneAnalysis.Windows(holder.Heard()), HeldHz, BeforeSeconds - 1, "the holder should hear the held party before the hold", holder.Process, held.Process);
        var packets = holder.LastCallPackets();
        Assert.True(packets is not null, Explain("baresip printed no packet summary for the holder's call", holder.Process));
        var (_, received, lost) = packets.Value;
        var expected = (BeforeSeconds + AfterSeconds) * 50;
        Assert.True(received >= expected * 0.8,
            Explain($"the holder received {received} RTP packets, want about {expected} ({BeforeSeconds} s before the hold and {AfterSeconds} s after)", holder.Process));
        Assert.True(lost == 0, Explain($"the holder's baresip counts {lost} packets lost: the switch's sequence numbers skipped the hold", holder.Process));

        // The switch's recording: the holder's tone before and after the hold on the left, the held party on the right.
        var recording = await SwitchRecordingAsync(cdr.RecordingPath);
        var left = ToneAnalysis.Windows(recording, 0);
        var right = ToneAnalysis.Windows(recording, 1);
        var leftRuns = Runs(left, HolderHz, minimumWindows: 4);
        Assert.True(leftRuns.Count >= 2 && leftRuns[^1].Seconds >= AfterSeconds - 1,
            Explain($"the recording's left channel should have the holder before and after the hold:\n{ToneAnalysis.Describe(left)}"));
        AssertTone(right, HeldHz, BeforeSeconds + HoldSeconds + AfterSeconds - 2, "the recording's right channel should be the held party throughout");
        AssertNoTone(right, MusicOnHoldHz, "music on hold is not a party: it must not be in the recording");
    }

    private sealed record Run(double Start, double End)
    {
        public double Seconds => End - Start;
    }

    /// <summary>
    /// Runs of at least <paramref name="minimumWindows"/> windows that carry <paramref name="hz"/>, bridging a
    /// single unclear window between two of them as <see cref="ToneAnalysis.LongestStretch"/> does.
    /// </summary>
    private static List<Run> Runs(IReadOnlyList<ToneWindow> windows, double hz, int minimumWindows)
    {
        var runs = new List<Run>();
        var step = windows.Count > 1 ? windows[1].Start - windows[0].Start : 0.25;
        var i = 0;
        while (i < windows.Count)
        {
            if (!windows[i].Is(hz))
            {
                i++;
                continue;
            }
            var (j, count) = (i, 1);
            while (true)
            {
                if (j + 1 < windows.Count && windows[j + 1].Is(hz)) (j, count) = (j + 1, count + 1);
                else if (j + 2 < windows.Count && Unclear(windows[j + 1]) && windows[j + 2].Is(hz)) (j, count) = (j + 2, count + 1);
                else break;
            }
            if (count >= minimumWindows) runs.Add(new Run(windows[i].Start, windows[j].Start + step));
            i = j + 1;
        }
        return runs;
    }

    private static bool Unclear(ToneWindow w) => !w.Silent && w.Purity < 0.5;
}
