using System.Diagnostics;
using Hotline.Interop.Tests.Harness;
using NAudio.Wave;

namespace Hotline.Interop.Tests;

/// <summary>
/// Mixing with real softphones: baresip 1.0 instances, each sending its own tone from a WAV and recording
/// what it receives, in the demo's conference room 8100 and on a live call a supervisor listens to, whispers
/// into and barges in on. Each phone's recording is checked for which tones it carries.
/// </summary>
public sealed class ConferenceTests(ContactCentreSwitch fixture) : InteropTest(fixture), IClassFixture<ContactCentreSwitch>
{
    // Clear of the room's join and leave tones (450 and 900 Hz), and chosen so that no sum or difference of
    // two or three of them (G.711's companding makes such intermodulation products, about 40 dB down) lands
    // on another: a phone's own tone must be absent, not masked by the others' products.
    private static readonly double[] s_tones = [630, 1070, 1390, 1810, 2270];

    [Fact]
    public async Task Five_softphones_in_room_8100_each_hear_the_other_four_and_not_themselves()
    {
        var phones = new List<Softphone>();
        for (int i = 0; i < s_tones.Length; i++)
        {
            var user = $"100{i + 1}";
            // Both G.711 laws in one room: each phone's audio is decoded, mixed and encoded for every other.
            phones.Add(await Softphone.StartAsync(Dir, SwitchTarget, user, $"hotline{user}", s_tones[i], i % 2 == 0 ? "PCMU" : "PCMA", StartPeer));
        }
        try
        {
            foreach (var phone in phones)
                Assert.True(await phone.DialAsync("8100", SwitchTarget), Explain($"{phone} could not dial 8100", phone.Process));
            var answered = new long[phones.Count];
            for (int i = 0; i < phones.Count; i++)
                answered[i] = await phones[i].WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(20))
                    ?? throw new Xunit.Sdk.XunitException(Explain($"{phones[i]} was not answered by room 8100", phones[i].Process));
            // The PIN, typed over the prompt that asks for it.
            await Task.Delay(500, Cancellation);
            foreach (var phone in phones)
                Assert.True(await phone.CommandAsync("sndcode", ContactCentreSwitch.RoomPin + "#"));
            // Admitted and joined within moments; the last join tone is over two seconds on.
            await Task.Delay(2000, Cancellation);
            long allIn = Stopwatch.GetTimestamp();
            await Task.Delay(TimeSpan.FromSeconds(6), Cancellation);

            foreach (var phone in phones)
                await phone.CommandAsync("hangup");
            foreach (var phone in phones)
                Assert.True(await phone.WaitForEventAsync("CALL_CLOSED", 1, TimeSpan.FromSeconds(10)) is not null, Explain($"{phone}'s call did not close", phone.Process));

            for (int i = 0; i < phones.Count; i++)
            {
                // From 1.5 s after the last one joined (its join tone over) to 4.5 s: everyone is in.
                var heard = Tones.Between(phones[i].LastCallAudio(), answered[i], allIn, 0.5, 4.5);
                var expected = s_tones.Where((_, j) => j != i).ToList();
                TestContext.Current.TestOutputHelper?.WriteLine($"{phones[i]} hears " + string.Join(", ", s_tones.Select(f => $"{f} Hz at {Tones.Amplitude(heard, f):F0}")));
                Assert.True(expected.SequenceEqual(Tones.Present(heard, phones[i].ToString(), s_tones)),
                    Explain($"{phones[i]} should hear {string.Join(", ", expected)} Hz and not its own; it hears " +
                        string.Join(", ", Tones.Present(heard, phones[i].ToString(), s_tones)), phones[i].Process));
            }
        }
        finally
        {
            foreach (var phone in phones)
                await phone.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_supervisor_listens_then_whispers_then_barges_on_an_agents_live_call()
    {
        const double Citizen = 600, Agent = 1100, Supervisor = 1400;
        double[] all = [Citizen, Agent, Supervisor];
        await using var supervisor = await Softphone.StartAsync(Dir, SwitchTarget, "1001", "hotline1001", Supervisor, "PCMU", StartPeer);
        await using var agent = await Softphone.StartAsync(Dir, SwitchTarget, "1002", "hotline1002", Agent, "PCMA", StartPeer);
        await using var citizen = await Softphone.StartAsync(Dir, SwitchTarget, "1003", "hotline1003", Citizen, "PCMU", StartPeer);

        // The supervisor logs in as agent 5001 (PIN 1111) on phone 1001; the switch hangs up when done.
        Assert.True(await supervisor.DialAsync("*815001", SwitchTarget));
        Assert.NotNull(await supervisor.WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(15)));
        await Task.Delay(1000, Cancellation);
        Assert.True(await supervisor.CommandAsync("sndcode", "1111#"));
        Assert.True(await supervisor.WaitForEventAsync("CALL_CLOSED", 1, TimeSpan.FromSeconds(30)) is not null,
            Explain("the login call did not end", supervisor.Process));

        // The citizen calls the agent's phone; it answers by itself.
        Assert.True(await citizen.DialAsync("1002", SwitchTarget));
        long call = await citizen.WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(15))
            ?? throw new Xunit.Sdk.XunitException(Explain("the citizen's call to 1002 was not answered", citizen.Process, agent.Process));
        long agentCall = await agent.WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(5)) ?? call;
        await Task.Delay(2000, Cancellation);

        // *85 1002: listen. Then keys 2 (whisper) and 3 (barge) during the session.
        Assert.True(await supervisor.DialAsync("*851002", SwitchTarget));
        long monitor = await supervisor.WaitForEventAsync("CALL_ESTABLISHED", 2, TimeSpan.FromSeconds(15))
            ?? throw new Xunit.Sdk.XunitException(Explain("the supervisor's *851002 was not answered", supervisor.Process));
        await Task.Delay(4000, Cancellation);
        long whisper = Stopwatch.GetTimestamp();
        Assert.True(await supervisor.CommandAsync("sndcode", "2"));
        await Task.Delay(4000, Cancellation);
        long barge = Stopwatch.GetTimestamp();
        Assert.True(await supervisor.CommandAsync("sndcode", "3"));
        await Task.Delay(4000, Cancellation);
        Assert.Null(await supervisor.WaitForEventAsync("CALL_CLOSED", 2, TimeSpan.Zero));

        await supervisor.CommandAsync("hangup");
        Assert.NotNull(await supervisor.WaitForEventAsync("CALL_CLOSED", 2, TimeSpan.FromSeconds(10)));
        await Task.Delay(1000, Cancellation);
        long afterMonitor = Stopwatch.GetTimestamp();
        await Task.Delay(3500, Cancellation);
        await citizen.CommandAsync("hangup");
        Assert.True(await agent.WaitForEventAsync("CALL_CLOSED", 1, TimeSpan.FromSeconds(10)) is not null,
            Explain("the agent's call did not end when the citizen hung up", agent.Process));

        var heardByCitizen = citizen.LastCallAudio();
        var heardByAgent = agent.LastCallAudio();
        var heardBySupervisor = supervisor.LastCallAudio();
        void Check(string period, long from, double[] citizenHears, double[] agentHears)
        {
            var c = Tones.Present(Tones.Between(heardByCitizen, call, from, 1.0, 3.0), "citizen", all);
            var a = Tones.Present(Tones.Between(heardByAgent, agentCall, from, 1.0, 3.0), "agent", all);
            Assert.True(citizenHears.SequenceEqual(c), $"{period}: the citizen hears {string.Join(", ", c)} Hz, want {string.Join(", ", citizenHears)}");
            Assert.True(agentHears.SequenceEqual(a), $"{period}: the agent hears {string.Join(", ", a)} Hz, want {string.Join(", ", agentHears)}");
        }
        Check("listen", monitor, [Agent], [Citizen]);
        Check("whisper", whisper, [Agent], [Citizen, Supervisor]);
        Check("barge", barge, [Agent, Supervisor], [Citizen, Supervisor]);
        Check("after the supervisor left", afterMonitor, [Agent], [Citizen]);
        foreach (var (period, from) in new[] { ("listen", monitor), ("whisper", whisper), ("barge", barge) })
        {
            var s = Tones.Present(Tones.Between(heardBySupervisor, monitor, from, 1.0, 3.0), "supervisor", all);
            Assert.True(s.SequenceEqual([Citizen, Agent]), $"{period}: the supervisor hears {string.Join(", ", s)} Hz, want both parties");
        }

        // The call's own recording went on through it all: the citizen left, the agent right, no supervisor.
        var recording = await CallRecordingAsync();
        var (left, right) = recording;
        foreach (var (period, from) in new[] { ("before", call), ("listen", monitor), ("whisper", whisper), ("barge", barge), ("after", afterMonitor) })
        {
            var l = Tones.Present(Tones.Between(left, call, from, 1.0, 2.0), "recording left", all);
            var r = Tones.Present(Tones.Between(right, call, from, 1.0, 2.0), "recording right", all);
            Assert.True(l.SequenceEqual([Citizen]) && r.SequenceEqual([Agent]),
                $"{period}: the call's recording has {string.Join(", ", l)} Hz left and {string.Join(", ", r)} Hz right, want the citizen left and the agent right");
        }
    }

    /// <summary>The switch's stereo recording of the citizen's call, once its file is final.</summary>
    private async Task<(short[] Left, short[] Right)> CallRecordingAsync()
    {
        var root = Path.Combine(Switch.Directory, "data", "recordings");
        for (int attempt = 0; ; attempt++)
        {
            var stereo = Directory.Exists(root)
                ? Directory.GetFiles(root, "*.wav", SearchOption.AllDirectories).Select(Read).Where(r => r is not null).OrderByDescending(r => r!.Value.Left.Length).FirstOrDefault()
                : null;
            if (stereo is { } found && found.Left.Length > 8000 * 15)
                return found;
            Assert.True(attempt < 50, $"no stereo recording of the call under {root}");
            await Task.Delay(200, Cancellation);
        }

        static (short[] Left, short[] Right)? Read(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new WaveFileReader(stream);
            if (reader.WaveFormat.Channels != 2 || reader.WaveFormat.SampleRate != 8000)
                return null;
            var bytes = new byte[reader.Length];
            reader.ReadExactly(bytes);
            var all = new short[bytes.Length / 2];
            Buffer.BlockCopy(bytes, 0, all, 0, all.Length * 2);
            return (all.Where((_, i) => i % 2 == 0).ToArray(), all.Where((_, i) => i % 2 == 1).ToArray());
        }
    }
}
