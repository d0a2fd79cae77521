using Hotline.Ivr.Tests.ContactCentre.Runtime;
using Hotline.Ivr.ContactCentre;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Calls;
using Hotline.Switch.Cdrs;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.Tests.ContactCentre.Mixing;

public sealed class SupervisionTests
{
    private const double Citizen = 400, Agent = 700, Supervisor = 1100, Department = 1500;

    private sealed class Cdrs : ICdrStore
    {
        public Dictionary<string, Cdr> All { get; } = [];
        public void Add(Cdr cdr) => All[cdr.Id] = cdr;
        public Cdr? Get(string id) => All.GetValueOrDefault(id);
        public IReadOnlyList<Cdr> Search(CdrQuery query) => All.Values.ToList();
        public int Count(CdrQuery query) => All.Count;
    }

    private sealed class Setup : IAsyncDisposable
    {
        public FakeConferenceMedia Media { get; } = new();
        public FakeLiveCalls Live { get; } = new();
        public Cdrs Cdrs { get; } = new();
        public ContactCentreKit Kit { get; }
        public string Recordings { get; } = Path.Combine(Path.GetTempPath(), $"hl-acd-{Guid.NewGuid():N}");

        public Setup()
        {
            Directory.CreateDirectory(Recordings);
            Kit = new ContactCentreKit(null, Media, Live, Cdrs, Recordings);
            Live.Add("live-1", "13800001111", "1001", Citizen, Agent);
        }

        public MixerRoom Room => Media.Room("call-live-1");
        public MixerRoom.Member Member(string party) => Room.Members.Single(m => m.Party == party);

        public async ValueTask DisposeAsync()
        {
            await Kit.DisposeAsync();
            Directory.Delete(Recordings, recursive: true);
        }
    }

    private static (FakeCallChannel Call, Task Running) Dial(Setup s, string code, string from)
    {
        var call = s.Kit.Switch.NewCall(from, code, from);
        return (call, Task.Run(() => s.Kit.Host.Features.RunAsync(call, new RouteTarget(RouteTargetKind.Feature, code))));
    }

    [Fact]
    public async Task Listen_whisper_and_barge_give_each_party_exactly_the_tones_it_should_hear()
    {
        await using var s = new Setup();
        await s.Kit.LoginAsync("5009");              // the supervisor, on 1009
        var sup = Dial(s, "*851001", "1009");
        await ContactCentreKit.Eventually(() => s.Media.Rooms.Count == 1 && s.Room.Count == 3, "supervisor in the call's room");
        s.Member("1009").Frequency = Supervisor;
        var (citizen, agent, supervisor) = (s.Member("13800001111"), s.Member("1001"), s.Member("1009"));
        double[] all = [Citizen, Agent, Supervisor];

        s.Room.Tick();
        Assert.Equal([Citizen, Agent], supervisor.Hears(all));  // listen: hears both
        Assert.Equal([Citizen], agent.Hears(all));              // heard by nobody
        Assert.Equal([Agent], citizen.Hears(all));

        sup.Call.Press("2");
        await ContactCentreKit.Eventually(() => supervisor.Role == MixRole.Whisperer, "whisper");
        s.Room.Tick();
        Assert.Equal([Citizen, Agent], supervisor.Hears(all));
        Assert.Equal([Citizen, Supervisor], agent.Hears(all));  // the agent hears the coach
        Assert.Equal([Agent], citizen.Hears(all));              // the citizen does not

        sup.Call.Press("3");
        await ContactCentreKit.Eventually(() => supervisor.Role == MixRole.Talker, "barge");
        s.Room.Tick();
        Assert.Equal([Citizen, Agent], supervisor.Hears(all));
        Assert.Equal([Citizen, Supervisor], agent.Hears(all));
        Assert.Equal([Agent, Supervisor], citizen.Hears(all));

        // Only media moved: no transfer, nothing the phones would see.
        Assert.Equal(["live-1"], s.Live.Moves);
        Assert.Empty(s.Live.Transfers);
        Assert.Single(s.Kit.Host.Supervisors!.Active());
        sup.Call.HangUpFarEnd();
        await sup.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Empty(s.Kit.Host.Supervisors.Active());
        Assert.Equal(2, s.Room.Count);
    }

    [Fact]
    public async Task Only_agents_with_the_supervisor_role_may_listen()
    {
        await using var s = new Setup();
        await s.Kit.LoginAsync("5002"); // an ordinary agent, on 1002
        var attempt = Dial(s, "*851001", "1002");
        await attempt.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("agent/not-allowed", attempt.Call.Played);
        Assert.Empty(s.Live.Moves);
        var notLoggedIn = Dial(s, "*861001", "1007");
        await notLoggedIn.Running.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Contains("agent/not-allowed", notLoggedIn.Call.Played);
        Assert.Equal(MonitorResult.NotSupervisor,
            await s.Kit.Host.Supervisors!.StartAsync(s.Kit.Switch, "5002", "1001", SupervisorMode.Listen, "1002"));
    }

    [Fact]
    public async Task A_supervisor_started_from_the_panel_is_rung_first_and_the_mode_can_be_changed_from_the_panel()
    {
        await using var s = new Setup();
        s.Kit.Switch.Phones["1009"] = PhoneBehaviour.Answer;
        var monitoring = s.Kit.Host.Supervisors!.StartAsync(s.Kit.Switch, "5009", "1001", SupervisorMode.Whisper, "1009");
        await ContactCentreKit.Eventually(() => s.Kit.Host.Supervisors.Active().Count == 1, "monitoring");
        var session = s.Kit.Host.Supervisors.Active()[0];
        Assert.Equal(("5009", "1001", SupervisorMode.Whisper), (session.Supervisor, session.Agent, session.Mode));
        Assert.True(s.Kit.Host.Supervisors.SetMode(session.SupervisorCall, SupervisorMode.Barge));
        Assert.Equal(MixRole.Talker, s.Member("1009").Role);
        s.Live.Calls["live-1"].Legs[0].Cancel(); // the citizen hangs up: monitoring ends with the call
        s.Live.Calls["live-1"].Legs[1].Cancel();
        Assert.Equal(MonitorResult.Ended, await monitoring.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        await ContactCentreKit.Eventually(() => s.Room.Disposed, "the room closed");
    }

    [Fact]
    public async Task A_three_way_call_with_an_outside_department_lets_all_three_hear_each_other_and_the_agent_can_drop_out()
    {
        await using var s = new Setup();
        s.Kit.Switch.Phones["12319"] = PhoneBehaviour.Answer;
        var (result, department) = await s.Kit.Host.CallControl!.ThreeWayAsync("1001", "12319", TestContext.Current.CancellationToken);
        Assert.Equal(CallControlResult.Done, result);
        var dept = (MixerRoom.Member)department!;
        dept.Frequency = Department;
        var ring = s.Kit.Switch.Rings.Single();
        Assert.Equal((RouteTargetKind.External, "13800001111"), (ring.Target.Kind, ring.Request!.CallerId)); // the department sees the citizen's number
        var (citizen, agent) = (s.Member("13800001111"), s.Member("1001"));
        double[] all = [Citizen, Agent, Department];
        s.Room.Tick();
        Assert.Equal([Agent, Department], citizen.Hears(all));
        Assert.Equal([Citizen, Department], agent.Hears(all));
        Assert.Equal([Citizen, Agent], dept.Hears(all));

        Assert.Equal(CallControlResult.Done, await s.Kit.Host.CallControl.CompleteTransferAsync("1001", TestContext.Current.CancellationToken));
        s.Room.Tick();
        Assert.Equal([Department], citizen.Hears(all));
        Assert.Equal([Citizen], dept.Hears(all));
        Assert.True(agent.Left.IsCancellationRequested);
    }

    [Fact]
    public async Task Completing_a_transfer_with_nobody_to_hand_over_to_is_refused_and_blind_transfer_goes_to_call_control()
    {
        await using var s = new Setup();
        Assert.Equal(CallControlResult.NotAllowed, await s.Kit.Host.CallControl!.CompleteTransferAsync("1001", TestContext.Current.CancellationToken));
        Assert.Equal(CallControlResult.Done, await s.Kit.Host.CallControl.TransferAsync("1001", new RouteTarget(RouteTargetKind.Queue, "8000"), TestContext.Current.CancellationToken));
        Assert.Equal(["live-1:1001->Queue:8000"], s.Live.Transfers);
        Assert.Equal(CallControlResult.NoSuchCall, await s.Kit.Host.CallControl.TransferAsync("1077", new RouteTarget(RouteTargetKind.Extension, "1002"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_earlier_calls_recording_is_played_into_the_call_but_only_from_the_recordings_folder()
    {
        await using var s = new Setup();
        var file = Path.Combine(s.Recordings, "2031", "07", "01", "old.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, [0], TestContext.Current.CancellationToken);
        s.Cdrs.Add(new Cdr { Id = "cdr-1", RecordingPath = "2031/07/01/old.wav" });
        s.Cdrs.Add(new Cdr { Id = "cdr-2", RecordingPath = "/etc/passwd" });
        s.Cdrs.Add(new Cdr { Id = "cdr-3", RecordingPath = "../../etc/passwd" });
        Assert.Equal(CallControlResult.Done, await s.Kit.Host.CallControl!.PlayRecordingAsync("1001", "cdr-1", TestContext.Current.CancellationToken));
        Assert.Equal([$"play:{file}"], s.Room.Log);
        Assert.Equal(CallControlResult.NotAllowed, await s.Kit.Host.CallControl.PlayRecordingAsync("1001", "cdr-2", TestContext.Current.CancellationToken));
        Assert.Equal(CallControlResult.NotAllowed, await s.Kit.Host.CallControl.PlayRecordingAsync("1001", "cdr-3", TestContext.Current.CancellationToken));
        Assert.Equal(CallControlResult.NotAllowed, await s.Kit.Host.CallControl.PlayRecordingAsync("1001", "missing", TestContext.Current.CancellationToken));
    }
}
