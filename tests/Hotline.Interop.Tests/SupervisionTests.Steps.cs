using System.Diagnostics;
using Hotline.Interop.Tests.Harness;
using Hotline.Ivr.ContactCentre.Mixing;

namespace Hotline.Interop.Tests;

// The steps the supervision tests are made of: phones, logins, the agent's call, mode keys, and what each phone heard.
public sealed partial class SupervisionTests
{
    private readonly string _dir = Artefacts.NewDirectory("SupervisionTests");
    private readonly List<ExternalProcess> _peers = [];

    /// <summary>The citizen's answered call to the agent: when each phone saw it answered, and the switch's recording of it.</summary>
    private sealed record AgentCall(long CitizenAnswered, long AgentAnswered, string CallId, string RecordingPath);

    private SupervisorService Supervisors => centre.ContactCentre.Host.Supervisors ?? throw new InvalidOperationException("the contact centre has no supervisor service");

    public ValueTask InitializeAsync()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"artefacts: {_dir}  switch: {centre.Directory}");
        return default;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
            await peer.DisposeAsync();
        if (TestContext.Current.TestState?.Result is TestResult.Passed or TestResult.Skipped)
            Artefacts.Delete(_dir);
        else
            centre.MarkFailed();
    }

    private Task<Softphone> Phone(string user, double tone, string codec) =>
        Softphone.StartAsync(_dir, centre.Target, user, $"hotline{user}", tone, codec, (program, arguments, name) =>
        {
            var process = ExternalProcess.Start(Peer.Require(program), arguments, _dir, name);
            _peers.Add(process);
            return process;
        });

    /// <summary>Agent <paramref name="agent"/> logs in on <paramref name="phone"/> with *81 and the PIN; the switch hangs up when done.</summary>
    private async Task LoginAsync(Softphone phone, string agent, string pin)
    {
        int answered = phone.Count("CALL_ESTABLISHED"), closed = phone.Count("CALL_CLOSED");
        Assert.True(await phone.DialAsync("*81" + agent, centre.Target));
        if (await phone.WaitForEventAsync("CALL_ESTABLISHED", answered + 1, TimeSpan.FromSeconds(20)) is null)
            throw Failure($"{phone.User}'s *81{agent} was not answered", null, phone);
        // Typed over the prompt that asks for it: the first digit stops the prompt and is kept.
        Assert.True(await phone.CommandAsync("sndcode", pin + "#"));
        if (await phone.WaitForEventAsync("CALL_CLOSED", closed + 1, TimeSpan.FromSeconds(30)) is null)
            throw Failure($"the switch did not hang up {phone.User}'s login call", null, phone);
        var clock = Stopwatch.StartNew();
        string? on;
        while ((on = await centre.ContactCentre.Host.Agents.AgentOnPhoneAsync(phone.User)) != agent && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50, Cancellation);
        if (on != agent)
            throw Failure($"agent {agent} is not logged in on {phone.User} after *81 and the PIN (found {on ?? "nobody"})", null, phone);
    }

    /// <summary>The citizen calls the agent's extension, which answers by itself; the switch records the call.</summary>
    private async Task<AgentCall> CallAgentAsync(Softphone citizen, Softphone agent)
    {
        int citizenCalls = citizen.Count("CALL_ESTABLISHED"), agentCalls = agent.Count("CALL_ESTABLISHED");
        Assert.True(await citizen.DialAsync(agent.User, centre.Target));
        long citizenAnswered = await citizen.WaitForEventAsync("CALL_ESTABLISHED", citizenCalls + 1, TimeSpan.FromSeconds(20))
            ?? throw Failure($"the citizen's call to {agent.User} was not answered", null, citizen, agent);
        long agentAnswered = await agent.WaitForEventAsync("CALL_ESTABLISHED", agentCalls + 1, TimeSpan.FromSeconds(10))
            ?? throw Failure("the agent's phone did not see the call answered", null, agent);
        var clock = Stopwatch.StartNew();
        Hotline.Switch.Calls.BridgedCall? bridged;
        while ((bridged = centre.Switch.LiveCalls.FindByParty(agent.User)) is null && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(50, Cancellation);
        if (bridged is null || !bridged.Parties.Contains(citizen.User))
            throw Failure($"the switch has no live call between {citizen.User} and {agent.User}", null, citizen, agent);
        if (bridged.RecordingPath is not { } recording)
            throw Failure($"the switch is not recording the call {bridged.CallId}", null, citizen, agent);
        return new AgentCall(citizenAnswered, agentAnswered, bridged.CallId, recording);
    }

    /// <summary>The supervisor presses <paramref name="key"/>; the Stopwatch time the session took on <paramref name="mode"/>.</summary>
    private async Task<long> ModeAsync(Softphone supervisor, ContactCentreEventLog events, char key, SupervisorMode mode)
    {
        Assert.True(await supervisor.CommandAsync("sndcode", key.ToString()));
        return await events.WaitAsync<MonitorSession>("supervisor.mode", s => s.Mode == mode, TimeSpan.FromSeconds(15))
            ?? throw Failure($"key {key} did not change the session to {mode}", events, supervisor);
    }

    /// <summary><paramref name="dialled"/> from <paramref name="phone"/> is answered, told no, and hung up on by the switch.</summary>
    private async Task RefusedAsync(Softphone phone, string dialled, ContactCentreEventLog events)
    {
        int answered = phone.Count("CALL_ESTABLISHED"), closed = phone.Count("CALL_CLOSED");
        Assert.True(await phone.DialAsync(dialled, centre.Target));
        // Answered first: a feature code refused outright (403) would mean the switch did not know which phone called.
        if (await phone.WaitForEventAsync("CALL_ESTABLISHED", answered + 1, TimeSpan.FromSeconds(20)) is null)
            throw Failure($"{dialled} from {phone.User} was not answered", events, phone);
        if (await phone.WaitForEventAsync("CALL_CLOSED", closed + 1, TimeSpan.FromSeconds(30)) is null)
            throw Failure($"{dialled} from {phone.User} was not hung up on", events, phone);
    }

    /// <summary>The citizen hangs up; the Stopwatch time just before, once both phones saw the call end.</summary>
    private async Task<long> HangUpAsync(Softphone citizen, Softphone agent, AgentCall call)
    {
        int citizenClosed = citizen.Count("CALL_CLOSED"), agentClosed = agent.Count("CALL_CLOSED");
        long ended = Stopwatch.GetTimestamp();
        Assert.True(await citizen.CommandAsync("hangup"));
        if (await agent.WaitForEventAsync("CALL_CLOSED", agentClosed + 1, TimeSpan.FromSeconds(15)) is null)
            throw Failure($"the agent's side of {call.CallId} did not end when the citizen hung up", null, citizen, agent);
        if (await citizen.WaitForEventAsync("CALL_CLOSED", citizenClosed + 1, TimeSpan.FromSeconds(15)) is null)
            throw Failure($"the citizen's side of {call.CallId} did not end", null, citizen);
        return ended;
    }

    /// <summary>
    /// What <paramref name="phone"/> received from <see cref="WindowFrom"/> to <see cref="WindowTo"/> seconds after
    /// <paramref name="from"/> is exactly <paramref name="expected"/>; its recording began at <paramref name="answered"/>.
    /// </summary>
    private static void AssertHears(Softphone phone, short[] pcm, long answered, long ended, string period, long from, double[] expected)
    {
        // A recording shorter or longer than the call's wall time means received audio was dropped or bunched:
        // say so, since the windows are placed by the clock.
        var who = $"{phone} {period} (its recording holds {pcm.Length / 8000.0:F1} s of a call {Stopwatch.GetElapsedTime(answered, ended).TotalSeconds:F1} s long)";
        var heard = Tones.Present(Tones.Between(pcm, answered, from, WindowFrom, WindowTo), who, s_all);
        Assert.True(expected.SequenceEqual(heard), $"{who}: hears {Hz(heard)}, want {Hz(expected)}");
    }

    /// <summary>
    /// Between the call's answer and its hang-up, the phone saw no call event but media ones (its first RTP
    /// packet, RTCP reports): no re-INVITE or UPDATE (baresip reports a new remote SDP), no transfer, no hold.
    /// </summary>
    private void AssertNoSignalling(Softphone phone, long answered, long ended)
    {
        var seen = phone.EventsBetween(answered, ended).Where(e => e is not ("CALL_RTCP" or "CALL_RTPESTAB")).ToList();
        int reinvites = phone.Process.Count(l => l.Contains("got re-INVITE", StringComparison.Ordinal));
        TestContext.Current.TestOutputHelper?.WriteLine($"{phone}: events during the call: {string.Join(", ", seen)}; re-INVITEs {reinvites}");
        Assert.True(seen.Count == 0 && reinvites == 0,
            $"{phone} saw signalling during its call: events {string.Join(", ", seen)}, {reinvites} re-INVITE(s)\n{phone.Process.Tail()}");
    }

    /// <summary>The switch's stereo recording of the call, once its file is final: (left, right) as 16-bit samples.</summary>
    private static async Task<(short[] Left, short[] Right)> RecordingAsync(string path)
    {
        var wav = await WavFile.WaitCompleteAsync(path, TimeSpan.FromSeconds(30));
        Assert.True(wav is { HeaderComplete: true }, $"the call's recording {path} was not finished");
        Assert.Equal((8000, 2), (wav.SampleRate, wav.Channels));
        static short[] Samples(double[] x) => x.Select(v => (short)Math.Clamp(Math.Round(v * 32768), short.MinValue, short.MaxValue)).ToArray();
        return (Samples(wav.Channel(0)), Samples(wav.Channel(1)));
    }

    /// <summary>Waits until <paramref name="after"/> past the Stopwatch time <paramref name="from"/>.</summary>
    private static async Task UntilAsync(long from, TimeSpan after)
    {
        var left = after - Stopwatch.GetElapsedTime(from);
        if (left > TimeSpan.Zero)
            await Task.Delay(left, Cancellation);
    }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static string Hz(IEnumerable<double> tones) => tones.Any() ? string.Join(", ", tones) + " Hz" : "nothing";

    private Xunit.Sdk.XunitException Failure(string what, ContactCentreEventLog? events, params Softphone[] phones) =>
        new($"{what}\nartefacts: {_dir}\nswitch log: {centre.LogPath}\n" +
            (events is null ? "" : $"contact-centre events:\n{events.Describe()}\n") +
            string.Join("\n", phones.Select(p => p.Process.Tail())));
}
