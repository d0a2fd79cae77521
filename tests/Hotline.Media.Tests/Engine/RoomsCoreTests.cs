using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Playback;
using Hotline.Media.Recording;
using Hotline.Media.Tests.Mixing;
using NAudio.Wave;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// A room's mixing on fake time, one worker tick at a time: who hears whom in each role, mute, what the room
/// plays to everyone, its recording, and a bridged call moved in with its stereo recording.
/// </summary>
public sealed class RoomsCoreTests : IAsyncDisposable
{
    private const double Citizen = 500, Agent = 900, Supervisor = 1400;
    private static readonly double[] s_three = [Citizen, Agent, Supervisor];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-rooms-" + Guid.NewGuid().ToString("N"));
    private readonly RecordingWriter _writer = new();

    public RoomsCoreTests() => Directory.CreateDirectory(_folder);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    public static TheoryData<int> RoomRates => [8000, 16000];

    [Theory]
    [MemberData(nameof(RoomRates))]
    public void Five_talkers_each_hear_the_other_four_and_never_themselves(int roomRate)
    {
        double[] tones = [400, 700, 1000, 1300, 1600];
        var rig = new RoomRig(roomRate);
        var parties = tones.Select((tone, i) => rig.Join($"member{i}", tone)).ToList();

        rig.Run(40);

        foreach (var (party, i) in parties.Select((p, i) => (p, i)))
            Assert.Equal(tones.Where((_, j) => j != i), party.Hears(tones));
        Assert.Equal(5, rig.Room.Count);
    }

    [Fact]
    public void Members_with_different_codecs_hear_each_other_through_the_wideband_mix()
    {
        double[] tones = [500, 900, 1400];
        var rig = new RoomRig(16000);
        var pcma = rig.Join("pcma", tones[0], AudioCodecs.Pcma);
        var pcmu = rig.Join("pcmu", tones[1], AudioCodecs.Pcmu);
        var g722 = rig.Join("g722", tones[2], AudioCodecs.All.First(c => c.Name == "G722"));

        rig.Run(40);

        Assert.Equal([900, 1400], pcma.Hears(tones));
        Assert.Equal([500, 1400], pcmu.Hears(tones));
        Assert.Equal([500, 900], g722.Hears(tones));
    }

    [Fact]
    public void A_listener_hears_both_parties_and_is_heard_by_nobody()
    {
        var rig = new RoomRig();
        var citizen = rig.Join("citizen", Citizen);
        var agent = rig.Join("agent", Agent);
        var supervisor = rig.Join("supervisor", Supervisor, role: ConferenceRole.Listener);

        rig.Run(40);

        Assert.Equal([Agent], citizen.Hears(s_three));
        Assert.Equal([Citizen], agent.Hears(s_three));
        Assert.Equal([Citizen, Agent], supervisor.Hears(s_three));
    }

    [Fact]
    public void A_whisperer_is_heard_by_the_agent_only_and_barging_in_makes_it_heard_by_both()
    {
        var rig = new RoomRig();
        var citizen = rig.Join("citizen", Citizen);
        var agent = rig.Join("agent", Agent);
        var supervisor = rig.Join("supervisor", Supervisor, role: ConferenceRole.Whisperer, heardOnlyBy: agent);

        rig.Run(40);
        Assert.Equal([Agent], citizen.Hears(s_three));
        Assert.Equal([Citizen, Supervisor], agent.Hears(s_three));
        Assert.Equal([Citizen, Agent], supervisor.Hears(s_three));

        ConferenceCore.SetRole(supervisor.Member!, ConferenceRole.Talker, null);
        rig.ClearHeard();
        rig.Run(40);
        Assert.Equal([Agent, Supervisor], citizen.Hears(s_three));
        Assert.Equal([Citizen, Supervisor], agent.Hears(s_three));
        Assert.Equal([Citizen, Agent], supervisor.Hears(s_three));

        ConferenceCore.SetRole(supervisor.Member!, ConferenceRole.Listener, null);
        rig.ClearHeard();
        rig.Run(40);
        Assert.Equal([Agent], citizen.Hears(s_three));
        Assert.Equal([Citizen], agent.Hears(s_three));
    }

    [Fact]
    public void A_whisperer_whose_agent_left_is_heard_by_nobody()
    {
        var rig = new RoomRig();
        var citizen = rig.Join("citizen", Citizen);
        var agent = rig.Join("agent", Agent);
        rig.Join("supervisor", Supervisor, role: ConferenceRole.Whisperer, heardOnlyBy: agent);

        Assert.True(rig.Room.Remove(agent.Leg));
        rig.Run(40);

        Assert.Empty(citizen.Hears(s_three));
    }

    [Fact]
    public void A_muted_member_is_heard_by_nobody_but_still_hears_until_unmuted()
    {
        var rig = new RoomRig();
        var citizen = rig.Join("citizen", Citizen);
        var agent = rig.Join("agent", Agent);
        var other = rig.Join("other", Supervisor);

        agent.Member!.Participant.Muted = true;
        rig.Run(40);
        Assert.Equal([Supervisor], citizen.Hears(s_three));
        Assert.Equal([Citizen, Supervisor], agent.Hears(s_three));
        Assert.Equal([Citizen], other.Hears(s_three));

        agent.Member.Participant.Muted = false;
        rig.ClearHeard();
        rig.Run(40);
        Assert.Equal([Agent, Supervisor], citizen.Hears(s_three));
    }

    [Fact]
    public void The_join_tone_plays_once_to_every_member_then_stops()
    {
        var rig = new RoomRig();
        var a = rig.Join("a", 0);
        var b = rig.Join("b", 0);
        rig.Run(5);
        rig.ClearHeard();

        rig.Room.PlayTone(new ToneGenerator(ConferenceTones.Join, rig.Room.SampleRate));
        rig.Run(50);

        foreach (var party in new[] { a, b })
        {
            var heard = party.Heard();
            Assert.Equal(50 * 160, heard.Length);
            // 450 Hz for the first 120 ms, a 40 ms gap, 900 Hz for 120 ms, then silence.
            Assert.True(Goertzel.Amplitude(heard.AsSpan(80, 800), 450, 8000) > 1000, "450 Hz first");
            Assert.True(Goertzel.Amplitude(heard.AsSpan(1360, 800), 900, 8000) > 1000, "900 Hz second");
            Assert.True(Audio.Rms(heard.AsSpan(2400)) < 20, "then silence");
        }
    }

    [Fact]
    public async Task A_prompt_plays_to_every_member_and_completes_when_played_to_its_end()
    {
        var rig = new RoomRig();
        var a = rig.Join("a", Citizen);
        var b = rig.Join("b", Agent);
        var prompt = new ConferencePrompt(new PromptCache().Get(WriteTone("prompt.wav", 1700, 8000, 0.5), 8000));

        rig.Room.PlayPrompt(prompt);
        rig.Run(24);
        Assert.False(prompt.Done.IsCompleted, "still playing before its 25th frame");
        Assert.Equal([Agent, 1700], a.Hears([Citizen, Agent, 1700], 300));
        Assert.Equal([Citizen, 1700], b.Hears([Citizen, Agent, 1700], 300));
        rig.Run(2);
        Assert.True(await prompt.Done.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));

        rig.ClearHeard();
        rig.Run(20);
        Assert.Equal([Agent], a.Hears([Citizen, Agent, 1700], 300));
    }

    [Fact]
    public async Task A_prompt_replaced_or_stopped_completes_as_not_played()
    {
        var rig = new RoomRig();
        rig.Join("a", 0);
        var cache = new PromptCache();
        var first = new ConferencePrompt(cache.Get(WriteTone("first.wav", 1700, 8000, 2), 8000));
        var second = new ConferencePrompt(cache.Get(WriteTone("second.wav", 1100, 8000, 2), 8000));

        rig.Room.PlayPrompt(first);
        rig.Run(5);
        rig.Room.PlayPrompt(second);
        Assert.False(await first.Done);
        rig.Room.StopPrompt(first);
        Assert.False(second.Done.IsCompleted, "stopping the first does not stop the second");
        rig.Room.StopPrompt(second);
        Assert.False(await second.Done);
    }

    [Fact]
    public async Task The_mixed_recording_has_the_talkers_and_the_tone_but_not_a_whisper()
    {
        var rig = new RoomRig();
        rig.Join("citizen", Citizen);
        var agent = rig.Join("agent", Agent);
        rig.Join("supervisor", Supervisor, role: ConferenceRole.Whisperer, heardOnlyBy: agent);
        var path = Path.Combine(_folder, "room.wav");
        Assert.True(rig.Room.StartRecording(_writer.Start(path, 8000, WavChannelLayout.Mono)));

        rig.Run(50);
        rig.Room.PlayTone(new ToneGenerator(ToneSpec.Parse("!2000/400"), 8000));
        rig.Run(50);
        var recorder = rig.Room.StopRecording();
        rig.Run(10);
        await recorder!.StopAsync();

        var (format, channels) = WavReading.Read(path);
        Assert.Equal(8000, format.SampleRate);
        Assert.Single(channels);
        var mix = channels[0];
        Assert.Equal(100 * 160, mix.Length);
        var talk = mix.AsSpan(4000, 3200);
        Assert.True(Goertzel.Amplitude(talk, Citizen, 8000) > 2000);
        Assert.True(Goertzel.Amplitude(talk, Agent, 8000) > 2000);
        Assert.True(Goertzel.Amplitude(talk, Supervisor, 8000) < 100, "a whisper is not in the room's recording");
        Assert.True(Goertzel.Amplitude(mix.AsSpan(8000, 3200), 2000, 8000) > 1000, "the tone is");
    }

    [Fact]
    public async Task A_bridged_call_moved_in_keeps_its_stereo_recording_each_party_on_its_side()
    {
        var rig = new RoomRig();
        var caller = rig.Leg("caller", Citizen);
        var callee = rig.Leg("callee", Agent);
        var path = Path.Combine(_folder, "call.wav");
        var recorder = _writer.Start(path, 8000, WavChannelLayout.Stereo);
        var bridge = new BridgeCore(caller.Leg, callee.Leg, recorder);
        rig.Worker.Add(bridge);
        bridge.Start(rig.Worker.Now);
        rig.Run(50);

        var (callerMember, calleeMember) = rig.Room.AdoptCall(bridge, null, null);
        caller.Member = callerMember;
        callee.Member = calleeMember;
        Assert.Same(rig.Room, caller.Leg.Attachment);
        Assert.Same(rig.Room, callee.Leg.Attachment);
        var supervisor = rig.Join("supervisor", Supervisor);
        rig.ClearHeard();
        rig.Run(50);
        Assert.Equal([Agent, Supervisor], caller.Hears(s_three));
        Assert.Equal([Citizen, Supervisor], callee.Hears(s_three));
        Assert.Equal([Citizen, Agent], supervisor.Hears(s_three));

        // The call ends: call control disposes the bridge, which finalises the file; the room carries on.
        bridge.Stop();
        await recorder.StopAsync();
        rig.ClearHeard();
        rig.Run(20);
        Assert.Equal([Citizen, Agent], supervisor.Hears(s_three, 300));

        var (format, channels) = WavReading.Read(path);
        Assert.Equal(2, format.Channels);
        Assert.Equal(100 * 160, channels[0].Length);
        foreach (int start in new[] { 2000, 4000, 9000, 14000 })
        {
            var left = channels[0].AsSpan(start, 1600);
            var right = channels[1].AsSpan(start, 1600);
            Assert.True(Goertzel.Amplitude(left, Citizen, 8000) > 2000, $"caller left at {start}");
            Assert.True(Goertzel.Amplitude(right, Agent, 8000) > 2000, $"callee right at {start}");
            Assert.True(Goertzel.Amplitude(left, Agent, 8000) < 100 && Goertzel.Amplitude(right, Citizen, 8000) < 100, $"channels apart at {start}");
            Assert.True(Goertzel.Amplitude(left, Supervisor, 8000) < 100 && Goertzel.Amplitude(right, Supervisor, 8000) < 100,
                $"each side is what that party said, not the room, at {start}");
        }
        // Relayed, then mixed: no frame went missing or twice at the move.
        Assert.Equal(100, bridge.RecordedFrames);
    }

    [Fact]
    public void A_closing_leg_leaves_the_room_and_the_others_carry_on()
    {
        var rig = new RoomRig();
        var a = rig.Join("a", Citizen);
        var b = rig.Join("b", Agent);
        var c = rig.Join("c", Supervisor);
        rig.Run(10);

        c.Leg.Close(rig.Worker.Now);
        Assert.Equal(2, rig.Room.Count);
        Assert.Null(c.Leg.Attachment);
        Assert.False(c.Member!.Present);
        c.Tone = 0;
        rig.ClearHeard();
        rig.Run(30);
        Assert.Equal([Agent], a.Hears(s_three));
        Assert.Equal([Citizen], b.Hears(s_three));
    }

    [Fact]
    public void Leaving_puts_the_leg_back_on_its_own_and_joining_stops_what_was_played_into_it()
    {
        var rig = new RoomRig();
        var a = rig.Join("a", Citizen);
        var b = rig.Leg("b", Agent);
        b.Leg.PlayTone(ChinaTones.Ringback);
        Assert.True(b.Leg.IsPlaying);
        b.Member = rig.Room.Add(b.Leg, null);
        Assert.False(b.Leg.IsPlaying, "the room's audio replaces music or ringback");
        rig.Run(30);
        Assert.Equal([Citizen], b.Hears(s_three));

        Assert.True(rig.Room.Remove(b.Leg));
        Assert.Null(b.Leg.Attachment);
        rig.ClearHeard();
        rig.Run(20);
        Assert.Empty(b.Sink.Rtp);
        Assert.Empty(a.Hears(s_three, 300));
    }

    [Fact]
    public void A_closed_room_takes_nobody_and_its_members_are_out()
    {
        var rig = new RoomRig();
        var a = rig.Join("a", Citizen);
        rig.Room.Close();

        Assert.Null(a.Leg.Attachment);
        Assert.Null(rig.Room.Add(rig.Leg("late", Agent).Leg, null));
        Assert.Equal(0, rig.Room.Count);
    }

    private string WriteTone(string name, double frequency, int rate, double seconds)
    {
        var path = Path.Combine(_folder, name);
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        var pcm = Audio.Tone(frequency, rate, (int)(rate * seconds), 8000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        writer.Write(bytes, 0, bytes.Length);
        return path;
    }
}
