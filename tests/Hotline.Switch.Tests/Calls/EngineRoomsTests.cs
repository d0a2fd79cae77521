using System.Diagnostics;
using System.Net;
using Hotline.Media.Engine;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;
using NAudio.Wave;

namespace Hotline.Switch.Tests.Calls;

/// <summary>
/// The mixing contracts over the real media engine, as the contact centre uses them: a live call moved from
/// its bridge into a room with its recording going on, a supervisor's channel joining to listen, whisper and
/// barge (checked by ear: each phone sends its own tone), members leaving when their channel or leg ends,
/// hanging up, and refusing what is not the switch's own.
/// </summary>
public sealed class EngineRoomsTests : IAsyncDisposable
{
    private const double Citizen = 500, Agent = 900, Supervisor = 1400;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-enginerooms-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;
    private readonly EngineCallMedia _media;
    private readonly List<TonePhone> _phones = [];

    public EngineRoomsTests()
    {
        Directory.CreateDirectory(_folder);
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddress = IPAddress.Loopback, RtpPortMin = 47200, RtpPortMax = 47398,
            Workers = 2, RecordingsRoot = _folder,
        });
        _media = new EngineCallMedia(_engine);
    }

    private IMediaRooms Rooms => Assert.IsAssignableFrom<IMediaRooms>((ICallMedia)_media);

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones)
            phone.Dispose();
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_supervisor_whispers_listens_and_barges_on_a_live_call_whose_recording_goes_on()
    {
        var (citizen, citizenLeg) = Leg("citizen", Citizen);
        var (agent, agentLeg) = Leg("agent", Agent);
        var bridge = _media.Bridge(citizenLeg, agentLeg, "calls/live.wav");
        var recordingStarted = Stopwatch.StartNew();
        await Task.Delay(600, TestContext.Current.CancellationToken);

        var room = Rooms.CreateRoom("call-live", 16000);
        var hungUp = new List<int>();
        var parties = await Rooms.MoveBridgeAsync(bridge, room, "live", "13800138000", "1001", TestContext.Current.CancellationToken,
            leg => { lock (hungUp) hungUp.Add(leg); return Task.CompletedTask; });
        Assert.Equal(["13800138000", "1001"], parties.Select(p => p.Party));
        Assert.All(parties, p => Assert.Equal("live", p.CallId));
        Assert.All(parties, p => Assert.Equal(MixRole.Talker, p.Role));
        var agentMember = parties[1];

        var (supervisor, supervisorLeg) = Leg("supervisor", Supervisor);
        var channel = new RoomChannel("monitor", "1009", supervisorLeg);
        var monitor = await room.JoinAsync(channel, MixRole.Whisperer, TestContext.Current.CancellationToken);
        Assert.Equal(3, room.Count);
        Assert.Equal(("monitor", "1009", MixRole.Whisperer), (monitor.CallId, monitor.Party, monitor.Role));

        // A whisperer nobody was named for yet is heard by no one.
        long since = await Settle();
        Assert.Equal([Agent], citizen.Hears(since, Citizen, Agent, Supervisor));
        Assert.Equal([Citizen], agent.Hears(since, Citizen, Agent, Supervisor));
        Assert.Equal([Citizen, Agent], supervisor.Hears(since, Citizen, Agent, Supervisor));

        monitor.SetRole(MixRole.Whisperer, agentMember);
        since = await Settle();
        Assert.Equal([Agent], citizen.Hears(since, Citizen, Agent, Supervisor));
        Assert.Equal([Citizen, Supervisor], agent.Hears(since, Citizen, Agent, Supervisor));

        monitor.SetRole(MixRole.Listener);
        Assert.Equal(MixRole.Listener, monitor.Role);
        since = await Settle();
        Assert.Equal([Citizen], agent.Hears(since, Citizen, Agent, Supervisor));
        Assert.Equal([Citizen, Agent], supervisor.Hears(since, Citizen, Agent, Supervisor));

        monitor.SetRole(MixRole.Talker);
        since = await Settle();
        Assert.Equal([Agent, Supervisor], citizen.Hears(since, Citizen, Agent, Supervisor));
        Assert.Equal([Citizen, Supervisor], agent.Hears(since, Citizen, Agent, Supervisor));

        agentMember.Muted = true;
        Assert.True(agentMember.Muted);
        since = await Settle();
        Assert.Equal([Supervisor], citizen.Hears(since, Citizen, Agent, Supervisor));
        agentMember.Muted = false;

        // The agent drops out (a warm transfer completing): call control hangs up leg 1; the others go on.
        await agentMember.HangupAsync();
        lock (hungUp)
            Assert.Equal([1], hungUp);
        Assert.True(agentMember.Left.IsCancellationRequested || await Cancelled(agentMember.Left));
        Assert.Equal(2, room.Count);

        // Hang-up of the call: call control disposes the bridge; its file is final and the room untouched.
        await bridge.DisposeAsync();
        var recorded = recordingStarted.Elapsed;
        since = await Settle();
        Assert.Equal([Supervisor], citizen.Hears(since, Citizen, Agent, Supervisor));
        Assert.False(parties[0].Left.IsCancellationRequested);

        using var reader = new WaveFileReader(Path.Combine(_folder, "calls", "live.wav"));
        Assert.Equal(2, reader.WaveFormat.Channels);
        var (left, right) = Channels(reader);
        Assert.InRange(left.Length / 8000.0, recorded.TotalSeconds - 0.4, recorded.TotalSeconds + 0.1);
        foreach (double at in new[] { 0.2, 1.0, 3.0 })
        {
            int start = (int)(at * 8000);
            Assert.True(Amplitude(left.AsSpan(start, 2400), Citizen) > 2000, $"the citizen on the left at {at} s");
            Assert.True(Amplitude(right.AsSpan(start, 2400), Agent) > 2000, $"the agent on the right at {at} s");
            Assert.True(Amplitude(left.AsSpan(start, 2400), Supervisor) < 100, $"the supervisor is not in the call's recording at {at} s");
            Assert.True(Amplitude(right.AsSpan(start, 2400), Supervisor) < 100, $"nor on the right at {at} s");
        }
        await room.DisposeAsync();
    }

    [Fact]
    public async Task A_member_leaves_when_its_channel_ends_and_hanging_up_ends_the_channel()
    {
        var room = Rooms.CreateRoom("conference-8100", 8000);
        var (_, aLeg) = Leg("a", Citizen);
        var (_, bLeg) = Leg("b", Agent);
        var (_, cLeg) = Leg("c", Supervisor);
        var a = new RoomChannel("call-a", "1001", aLeg);
        var c = new RoomChannel("call-c", "1003", cLeg);
        var aMember = await room.JoinAsync(a, MixRole.Talker, TestContext.Current.CancellationToken);
        var bMember = await room.JoinAsync(new RoomChannel("call-b", "1002", bLeg), MixRole.Talker, TestContext.Current.CancellationToken);
        var cMember = await room.JoinAsync(c, MixRole.Talker, TestContext.Current.CancellationToken);
        Assert.Equal(3, room.Count);

        a.End();
        Assert.True(await Cancelled(aMember.Left));
        await CallTestKit.Until(() => room.Count == 2, "the ended channel out of the room");

        await cMember.HangupAsync();
        Assert.Equal(1, c.Hangups);
        Assert.True(cMember.Left.IsCancellationRequested);
        Assert.Equal(1, room.Count);

        // Its leg closing (the call torn down) takes a member out too.
        await bLeg.DisposeAsync();
        Assert.True(await Cancelled(bMember.Left));
        Assert.Equal(0, room.Count);
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Leaving_keeps_the_call_going_and_the_room_plays_and_records()
    {
        var prompt = Path.Combine(_folder, "notice.wav");
        WriteTone(prompt, 1700, 0.5);
        var room = Rooms.CreateRoom("call-play", 8000);
        var (a, aLeg) = Leg("a", Citizen);
        var (_, bLeg) = Leg("b", Agent);
        var channel = new RoomChannel("call-a", "1001", aLeg);
        var aMember = await room.JoinAsync(channel, MixRole.Talker, TestContext.Current.CancellationToken);
        await room.JoinAsync(new RoomChannel("call-b", "1002", bLeg), MixRole.Talker, TestContext.Current.CancellationToken);
        room.StartRecording(Path.Combine(_folder, "rooms", "play.wav"));
        Assert.Equal(Path.Combine(_folder, "rooms", "play.wav"), room.RecordingPath);

        room.PlayTone(RoomTone.Join);
        var played = Stopwatch.StartNew();
        await room.PlayAsync(prompt, TestContext.Current.CancellationToken);
        Assert.True(played.Elapsed >= TimeSpan.FromMilliseconds(400), $"a 500 ms prompt completed after {played.ElapsedMilliseconds} ms");
        using (var cancelled = new CancellationTokenSource(TimeSpan.FromMilliseconds(100)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => room.PlayAsync(prompt, cancelled.Token));

        await aMember.LeaveAsync();
        Assert.True(aMember.Left.IsCancellationRequested);
        Assert.Equal(0, channel.Hangups);
        Assert.False(channel.Ended.IsCancellationRequested);
        long since = Stopwatch.GetTimestamp();
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Assert.Equal(0, a.PacketsSince(since));   // out of the room, attached to nothing: nothing is sent to it

        await room.StopRecordingAsync();
        Assert.Null(room.RecordingPath);
        using var reader = new WaveFileReader(Path.Combine(_folder, "rooms", "play.wav"));
        Assert.Equal((8000, 1), (reader.WaveFormat.SampleRate, reader.WaveFormat.Channels));
        var (mix, _) = Channels(reader);
        double prompted = 0;
        for (int start = 0; start + 2400 <= mix.Length; start += 400)
            prompted = Math.Max(prompted, Amplitude(mix.AsSpan(start, 2400), 1700));
        Assert.True(prompted > 2000, $"the prompt is in the room's recording ({prompted:F0})");
        await room.DisposeAsync();
    }

    [Fact]
    public async Task Only_the_switchs_own_channels_legs_bridges_and_rooms_are_taken()
    {
        var room = Rooms.CreateRoom("strict", 8000);
        var other = Rooms.CreateRoom("other", 8000);
        var (_, leg) = Leg("a", Citizen);
        var member = await room.JoinAsync(new RoomChannel("call-a", "1001", leg), MixRole.Talker, TestContext.Current.CancellationToken);
        var (_, otherLeg) = Leg("b", Agent);
        var stranger = await other.JoinAsync(new RoomChannel("call-b", "1002", otherLeg), MixRole.Talker, TestContext.Current.CancellationToken);

        var fakeMedia = new FakeCallMedia();
        var notOurs = await Assert.ThrowsAsync<ArgumentException>(() =>
            room.JoinAsync(new RoomChannel("call-x", "1003", fakeMedia.CreateLeg("x")), MixRole.Talker, TestContext.Current.CancellationToken));
        Assert.Contains("call-x", notOurs.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => room.JoinAsync(new ForeignChannel(), MixRole.Talker, TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentException>(() => member.SetRole(MixRole.Whisperer, stranger));
        var fakeBridge = fakeMedia.Bridge(fakeMedia.CreateLeg("p"), fakeMedia.CreateLeg("q"), null);
        await Assert.ThrowsAsync<ArgumentException>(() => Rooms.MoveBridgeAsync(fakeBridge, room, "x", "1", "2", TestContext.Current.CancellationToken));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rooms.CreateRoom("odd", 11025));
        await room.DisposeAsync();
        await other.DisposeAsync();
    }

    [Fact]
    public async Task A_moved_leg_without_a_hangup_from_call_control_refuses_to_hang_up()
    {
        var (_, callerLeg) = Leg("caller", Citizen);
        var (_, calleeLeg) = Leg("callee", Agent);
        await using var bridge = _media.Bridge(callerLeg, calleeLeg, null);
        var room = Rooms.CreateRoom("no-hangup", 8000);
        var parties = await Rooms.MoveBridgeAsync(bridge, room, "c1", "1001", "1002", TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<InvalidOperationException>(() => parties[0].HangupAsync());
        Assert.False(parties[0].Left.IsCancellationRequested);
        await room.DisposeAsync();
        Assert.True(await Cancelled(parties[0].Left));
    }

    private (TonePhone Phone, IMediaLeg Leg) Leg(string label, double tone)
    {
        var phone = new TonePhone(tone, (uint)(0x2000 + _phones.Count));
        _phones.Add(phone);
        var leg = _media.CreateLeg(label);
        var answer = leg.AnswerOffer(phone.Offer());
        Assert.True(answer.Ok, answer.Error);
        phone.Start(answer.Sdp!);
        return (phone, leg);
    }

    private static async Task<long> Settle()
    {
        await Task.Delay(250, TestContext.Current.CancellationToken);
        long since = Stopwatch.GetTimestamp();
        await Task.Delay(700, TestContext.Current.CancellationToken);
        return since;
    }

    private static async Task<bool> Cancelled(CancellationToken token)
    {
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (token.Register(() => fired.TrySetResult()))
            await fired.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        return token.IsCancellationRequested;
    }

    private static (short[] First, short[] Second) Channels(WaveFileReader reader)
    {
        var bytes = new byte[reader.Length];
        reader.ReadExactly(bytes);
        var all = new short[bytes.Length / 2];
        Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
        int channels = reader.WaveFormat.Channels;
        return (all.Where((_, i) => i % channels == 0).ToArray(), all.Where((_, i) => i % channels == channels - 1).ToArray());
    }

    private static double Amplitude(ReadOnlySpan<short> samples, double frequency)
    {
        double coeff = 2 * Math.Cos(2 * Math.PI * frequency / 8000), s1 = 0, s2 = 0;
        foreach (short x in samples)
        {
            double s0 = x + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return 2 * Math.Sqrt(Math.Max(s1 * s1 + s2 * s2 - coeff * s1 * s2, 0)) / samples.Length;
    }

    private static void WriteTone(string path, double frequency, double seconds)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(8000, 16, 1));
        for (int i = 0; i < (int)(8000 * seconds); i++)
            writer.WriteSample((float)(0.25 * Math.Sin(2 * Math.PI * frequency * i / 8000)));
    }

    /// <summary>A channel from somewhere else (a test double of another module): not the switch's.</summary>
    private sealed class ForeignChannel : ICallChannel
    {
        public string CallId => "foreign";
        public string Caller => "0";
        public string? CallerName => null;
        public string Dialled => "0";
        public string? Trunk => null;
        public string? CallerExtension => null;
        public DateTimeOffset Started => DateTimeOffset.UnixEpoch;
        public bool Answered => true;
        public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>();
        public CancellationToken Ended => CancellationToken.None;
        public Task AnswerAsync(CancellationToken ct = default) => Task.CompletedTask;
        public Task EarlyMediaAsync(CancellationToken ct = default) => Task.CompletedTask;
        public Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default) => Task.FromResult(new PlayResult(true, null));
        public Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default) => Task.CompletedTask;
        public void StartMusicOnHold() { }
        public void StopAudio() { }
        public Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default) => Task.FromResult("");
        public Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default) => Task.FromResult(new RecordResult(path, TimeSpan.Zero, RecordEnd.HungUp));
        public Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default) => Task.FromResult(new ConnectResult(ConnectOutcome.Failed, 0, null));
        public Task HangupAsync(int status = 0, string? reason = null) => Task.CompletedTask;
    }
}
