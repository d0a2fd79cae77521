using System.Diagnostics;
using Hotline.Interop.Tests.Harness;
using Hotline.Ivr.ContactCentre.Mixing;

namespace Hotline.Interop.Tests;

/// <summary>
/// Supervision of an agent's live call with real softphones (baresip: citizen 1003 calls agent 1002), each
/// sending its own tone and recording what it hears. Supervisors and agents log in from their phones (*81)
/// and start a session with *85 and the agent's extension, as in service; the supervisor then changes mode
/// with keys 2 (whisper) and 3 (barge). From the panel, the service rings the supervisor's phone instead and
/// changes the mode itself. The contact centre runs in this process
/// (<see cref="InProcessContactCentre"/>) so the test can wait on its live events rather than on the clock.
/// </summary>
public sealed partial class SupervisionTests(InProcessContactCentre centre) : IClassFixture<InProcessContactCentre>, IAsyncLifetime
{
    // Clear of each other's G.711 intermodulation products (sums, differences, 2a-b), as in the conference test.
    private const double Citizen = 630, Agent = 1070, Supervisor = 1390, Intruder = 1810;
    private static readonly double[] s_all = [Citizen, Agent, Supervisor, Intruder];

    /// <summary>How long each mode lasts; what each phone hears is measured from 2 to 5 s into it.</summary>
    private static readonly TimeSpan s_dwell = TimeSpan.FromSeconds(7);
    private const double WindowFrom = 2.0, WindowTo = 5.0;

    [Fact]
    public async Task A_supervisor_listens_then_whispers_then_barges_on_an_agents_live_call_whose_parties_see_no_signalling()
    {
        await using var events = new ContactCentreEventLog(centre.ContactCentre.Host.Events);
        await using var supervisor = await Phone("1001", Supervisor, "PCMU");
        await using var agent = await Phone("1002", Agent, "PCMA");
        await using var citizen = await Phone("1003", Citizen, "PCMU");
        await LoginAsync(supervisor, "5001", "1111");
        var live = await CallAgentAsync(citizen, agent);
        await UntilAsync(live.CitizenAnswered, s_dwell);

        // *85 1002: the switch answers, and the supervisor joins the call's room as a listener.
        int supervisorCalls = supervisor.Count("CALL_ESTABLISHED");
        Assert.True(await supervisor.DialAsync("*851002", centre.Target));
        long monitor = await supervisor.WaitForEventAsync("CALL_ESTABLISHED", supervisorCalls + 1, TimeSpan.FromSeconds(20))
            ?? throw Failure("the supervisor's *851002 was not answered", events, supervisor);
        long listen = await events.WaitAsync<MonitorSession>("supervisor.joined", s => s is { Supervisor: "5001", Agent: "1002", Mode: SupervisorMode.Listen }, TimeSpan.FromSeconds(20))
            ?? throw Failure("the supervisor did not join the call listening", events, supervisor);
        await UntilAsync(listen, s_dwell);
        long whisper = await ModeAsync(supervisor, events, '2', SupervisorMode.Whisper);
        await UntilAsync(whisper, s_dwell);
        long barge = await ModeAsync(supervisor, events, '3', SupervisorMode.Barge);
        await UntilAsync(barge, s_dwell);
        Assert.Single(Supervisors.Active(), s => s.Agent == "1002" && s.Mode == SupervisorMode.Barge);

        await supervisor.CommandAsync("hangup");
        long left = await events.WaitAsync<MonitorSession>("supervisor.left", s => s.Supervisor == "5001", TimeSpan.FromSeconds(15))
            ?? throw Failure("the supervisor's hang-up did not end the session", events, supervisor);
        Assert.Empty(Supervisors.Active());
        await UntilAsync(left, s_dwell);
        long ended = await HangUpAsync(citizen, agent, live);

        var heardByCitizen = citizen.LastCallAudio();
        var heardByAgent = agent.LastCallAudio();
        var heardBySupervisor = supervisor.LastCallAudio();
        var periods = new[] { ("before", live.CitizenAnswered), ("listening", listen), ("whispering", whisper), ("barging", barge), ("after the supervisor left", left) };
        var citizenHears = new[] { (double[])[Agent], [Agent], [Agent], [Agent, Supervisor], [Agent] };
        var agentHears = new[] { (double[])[Citizen], [Citizen], [Citizen, Supervisor], [Citizen, Supervisor], [Citizen] };
        for (int i = 0; i < periods.Length; i++)
        {
            var (period, from) = periods[i];
            AssertHears(citizen, heardByCitizen, live.CitizenAnswered, ended, period, from, citizenHears[i]);
            AssertHears(agent, heardByAgent, live.AgentAnswered, ended, period, from, agentHears[i]);
            if (from >= listen && from < left)
                AssertHears(supervisor, heardBySupervisor, monitor, left, period, from, [Citizen, Agent]);
        }

        // Only media moved: neither party's phone saw a request or a change of session.
        AssertNoSignalling(citizen, live.CitizenAnswered, ended);
        AssertNoSignalling(agent, live.AgentAnswered, ended);

        // The call's own recording went on through it all, in the same file: the citizen left, the agent right, no supervisor.
        var (recordedCitizen, recordedAgent) = await RecordingAsync(live.RecordingPath);
        foreach (var (period, from) in periods)
        {
            var l = Tones.Present(Tones.Between(recordedCitizen, live.CitizenAnswered, from, WindowFrom, WindowTo), $"the recording's left channel, {period}", s_all);
            var r = Tones.Present(Tones.Between(recordedAgent, live.CitizenAnswered, from, WindowFrom, WindowTo), $"the recording's right channel, {period}", s_all);
            Assert.True(l.SequenceEqual([Citizen]) && r.SequenceEqual([Agent]),
                $"{period}: the call's recording has {Hz(l)} left and {Hz(r)} right, want the citizen ({Citizen} Hz) left and the agent ({Agent} Hz) right");
        }
    }

    [Fact]
    public async Task From_the_panel_a_supervisors_phone_is_rung_and_joined_listening_then_switched_to_whisper()
    {
        await using var events = new ContactCentreEventLog(centre.ContactCentre.Host.Events);
        await using var supervisor = await Phone("1005", Supervisor, "PCMA");
        await using var agent = await Phone("1002", Agent, "PCMA");
        await using var citizen = await Phone("1003", Citizen, "PCMU");
        var live = await CallAgentAsync(citizen, agent);

        // Supervisor 5001, at a phone the panel names: the switch rings it (it answers by itself) and joins it listening.
        var session = Supervisors.StartAsync(centre.Switch.Calls, "5001", "1002", SupervisorMode.Listen, "1005");
        long monitor = await supervisor.WaitForEventAsync("CALL_ESTABLISHED", 1, TimeSpan.FromSeconds(20))
            ?? throw Failure("the supervisor's phone was not rung and answered", events, supervisor);
        long listen = await events.WaitAsync<MonitorSession>("supervisor.joined", s => s is { Supervisor: "5001", Agent: "1002", Mode: SupervisorMode.Listen }, TimeSpan.FromSeconds(20))
            ?? throw Failure("the supervisor did not join the call listening", events, supervisor);
        Assert.False(session.IsCompleted, "the supervision session ended early");
        await UntilAsync(listen, s_dwell);
        Assert.True(Supervisors.SetMode(Assert.Single(Supervisors.Active()).SupervisorCall, SupervisorMode.Whisper));
        long whisper = await events.WaitAsync<MonitorSession>("supervisor.mode", s => s.Mode == SupervisorMode.Whisper, TimeSpan.FromSeconds(15))
            ?? throw Failure("the panel did not switch the session to whisper", events, supervisor);
        await UntilAsync(whisper, s_dwell);
        await supervisor.CommandAsync("hangup");
        Assert.Equal(MonitorResult.Ended, await session.WaitAsync(TimeSpan.FromSeconds(15), Cancellation));
        long left = Stopwatch.GetTimestamp();
        long ended = await HangUpAsync(citizen, agent, live);

        var heardByCitizen = citizen.LastCallAudio();
        var heardByAgent = agent.LastCallAudio();
        var heardBySupervisor = supervisor.LastCallAudio();
        AssertHears(citizen, heardByCitizen, live.CitizenAnswered, ended, "listening", listen, [Agent]);
        AssertHears(agent, heardByAgent, live.AgentAnswered, ended, "listening", listen, [Citizen]);
        AssertHears(supervisor, heardBySupervisor, monitor, left, "listening", listen, [Citizen, Agent]);
        AssertHears(citizen, heardByCitizen, live.CitizenAnswered, ended, "whispering", whisper, [Agent]);
        AssertHears(agent, heardByAgent, live.AgentAnswered, ended, "whispering", whisper, [Citizen, Supervisor]);
        AssertHears(supervisor, heardBySupervisor, monitor, left, "whispering", whisper, [Citizen, Agent]);
        AssertNoSignalling(citizen, live.CitizenAnswered, ended);
        AssertNoSignalling(agent, live.AgentAnswered, ended);
    }

    [Fact]
    public async Task Dialling_listen_or_barge_is_refused_to_a_phone_without_a_supervisor_and_the_call_goes_on_untouched()
    {
        await using var events = new ContactCentreEventLog(centre.ContactCentre.Host.Events);
        await using var agent = await Phone("1002", Agent, "PCMA");
        await using var citizen = await Phone("1003", Citizen, "PCMU");
        await using var intruder = await Phone("1004", Intruder, "PCMU");
        var live = await CallAgentAsync(citizen, agent);
        try
        {
            // No agent logged in at 1004, then agent 5003 (not a supervisor): both are told no and hung up on.
            await RefusedAsync(intruder, "*851002", events);
            await LoginAsync(intruder, "5003", "3333");
            Assert.False(Supervisors.IsSupervisor("5003"));
            await RefusedAsync(intruder, "*851002", events);
            await RefusedAsync(intruder, "*871002", events);
            Assert.Empty(events.OfType("supervisor.joined"));
            Assert.Empty(Supervisors.Active());
            long refused = Stopwatch.GetTimestamp();
            long ended = await HangUpAsync(citizen, agent, live);

            // From the call's start to the last refusal, each party heard the other and nothing of the intruder. (A
            // phone's recording can be a little shorter than the call: packets its jitter buffer dropped are not in it.)
            var heardByCitizen = citizen.LastCallAudio();
            var heardByAgent = agent.LastCallAudio();
            double Until(short[] pcm, long answered) => Math.Min(Stopwatch.GetElapsedTime(answered, refused).TotalSeconds, pcm.Length / 8000.0 - 0.5);
            var c = Tones.Present(Tones.Between(heardByCitizen, live.CitizenAnswered, live.CitizenAnswered, 1.0, Until(heardByCitizen, live.CitizenAnswered)), "the citizen", s_all);
            var a = Tones.Present(Tones.Between(heardByAgent, live.AgentAnswered, live.AgentAnswered, 1.0, Until(heardByAgent, live.AgentAnswered)), "the agent", s_all);
            Assert.True(c.SequenceEqual([Agent]), $"the citizen hears {Hz(c)} during the refusals, want only the agent");
            Assert.True(a.SequenceEqual([Citizen]), $"the agent hears {Hz(a)} during the refusals, want only the citizen");
            AssertNoSignalling(citizen, live.CitizenAnswered, ended);
            AssertNoSignalling(agent, live.AgentAnswered, ended);
        }
        finally
        {
            centre.ContactCentre.Host.Agents.Logout("5003");
        }
    }
}
