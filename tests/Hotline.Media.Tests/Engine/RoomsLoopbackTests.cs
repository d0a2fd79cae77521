using System.Diagnostics;
using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Engine;
using Hotline.Media.Tests.Mixing;
using NAudio.Wave;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>
/// Rooms on the whole engine, real UDP on 127.0.0.1 with test sockets as the phones (each sending its own
/// tone), two workers so members and bridged calls have to move between them.
/// </summary>
public sealed class RoomsLoopbackTests : IAsyncDisposable
{
    private const double Citizen = 500, Agent = 900, Supervisor = 1400;
    private static readonly double[] s_three = [Citizen, Agent, Supervisor];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-rooms-loop-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;
    private readonly List<UdpPhone> _phones = [];

    public RoomsLoopbackTests()
    {
        Directory.CreateDirectory(_folder);
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddress = IPAddress.Loopback,
            RtpPortMin = 48000,
            RtpPortMax = 48998,
            Workers = 2,
            RecordingsRoot = _folder,
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var phone in _phones)
            phone.Dispose();
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Five_phones_each_hear_the_other_four_and_not_their_own()
    {
        double[] tones = [400, 700, 1000, 1300, 1600];
        await using var room = _engine.CreateConference("five", 8000);
        var phones = new List<UdpPhone>();
        foreach (var tone in tones)
        {
            var (phone, endpoint) = Call(AudioCodecs.Pcma);
            await room.AddAsync(endpoint);
            phone.PlayTone(tone);
            phones.Add(phone);
        }
        long since = Stopwatch.GetTimestamp();
        await Task.Delay(1200, TestContext.Current.CancellationToken);

        for (int i = 0; i < phones.Count; i++)
            Assert.Equal(tones.Where((_, j) => j != i), Hears(phones[i], since, tones));
        Assert.Equal(5, room.Count);
        Assert.Equal(0, _engine.GetStatistics().Faults);
    }

    [Fact]
    public async Task Listen_whisper_and_barge_decide_who_hears_the_supervisor()
    {
        await using var room = _engine.CreateConference("supervision", 16000);
        var (citizen, citizenEndpoint) = Call(AudioCodecs.Pcma);
        var (agent, agentEndpoint) = Call(AudioCodecs.Pcmu);
        var (supervisor, supervisorEndpoint) = Call(AudioCodecs.Pcma);
        await room.AddAsync(citizenEndpoint);
        var agentMember = await room.AddAsync(agentEndpoint);
        var supervisorMember = await room.AddAsync(supervisorEndpoint, ConferenceRole.Listener);
        citizen.PlayTone(Citizen);
        agent.PlayTone(Agent);
        supervisor.PlayTone(Supervisor);

        long since = await Settle();
        Assert.Equal([Agent], Hears(citizen, since, s_three));
        Assert.Equal([Citizen], Hears(agent, since, s_three));
        Assert.Equal([Citizen, Agent], Hears(supervisor, since, s_three));

        supervisorMember.SetRole(ConferenceRole.Whisperer, agentMember);
        since = await Settle();
        Assert.Equal([Agent], Hears(citizen, since, s_three));
        Assert.Equal([Citizen, Supervisor], Hears(agent, since, s_three));
        Assert.Equal([Citizen, Agent], Hears(supervisor, since, s_three));

        supervisorMember.SetRole(ConferenceRole.Talker);
        since = await Settle();
        Assert.Equal([Agent, Supervisor], Hears(citizen, since, s_three));
        Assert.Equal([Citizen, Supervisor], Hears(agent, since, s_three));
        Assert.Equal([Citizen, Agent], Hears(supervisor, since, s_three));
    }

    [Fact]
    public async Task A_muted_phone_is_heard_by_nobody_and_still_hears_until_unmuted()
    {
        await using var room = _engine.CreateConference("mute", 8000);
        var (a, aEndpoint) = Call(AudioCodecs.Pcma);
        var (b, bEndpoint) = Call(AudioCodecs.Pcma);
        await room.AddAsync(aEndpoint);
        var bMember = await room.AddAsync(bEndpoint);
        a.PlayTone(Citizen);
        b.PlayTone(Agent);

        bMember.Muted = true;
        long since = await Settle();
        Assert.Empty(Hears(a, since, s_three));
        Assert.Equal([Citizen], Hears(b, since, s_three));

        bMember.Muted = false;
        since = await Settle();
        Assert.Equal([Agent], Hears(a, since, s_three));
    }

    [Fact]
    public async Task Phones_of_three_codecs_hear_each_other_in_a_wideband_room()
    {
        double[] tones = [500, 900, 1400];
        var codecs = new[] { AudioCodecs.Pcma, AudioCodecs.Pcmu, AudioCodecs.All.First(c => c.Name == "G722") };
        await using var room = _engine.CreateConference("codecs", 16000);
        var phones = new List<UdpPhone>();
        for (int i = 0; i < codecs.Length; i++)
        {
            var (phone, endpoint) = Call(codecs[i]);
            Assert.Equal(codecs[i].Name, endpoint.Codec!.Name);
            await room.AddAsync(endpoint);
            phone.PlayTone(tones[i]);
            phones.Add(phone);
        }
        long since = await Settle();

        for (int i = 0; i < phones.Count; i++)
            Assert.Equal(tones.Where((_, j) => j != i), Hears(phones[i], since, tones));
    }

    [Fact]
    public async Task A_prompt_and_the_join_tone_reach_every_phone_and_the_room_recording()
    {
        const double A = 600, B = 1100, Notice = 1700;
        var prompt = Path.Combine(_folder, "notice.wav");
        WriteTone(prompt, Notice, 16000, 0.6);
        await using var room = _engine.CreateConference("announce", 8000);
        var (a, aEndpoint) = Call(AudioCodecs.Pcma);
        var (b, bEndpoint) = Call(AudioCodecs.Pcmu);
        await room.AddAsync(aEndpoint);
        await room.AddAsync(bEndpoint);
        room.StartRecording("rooms/announce.wav");
        Assert.Equal(Path.Combine(_folder, "rooms", "announce.wav"), room.RecordingPath);
        a.PlayTone(A);
        b.PlayTone(B);
        await Task.Delay(500, TestContext.Current.CancellationToken);

        long promptStarted = Stopwatch.GetTimestamp();
        var played = room.PlayPromptAsync(prompt, TestContext.Current.CancellationToken);
        await Task.Delay(400, TestContext.Current.CancellationToken);
        Assert.False(played.IsCompleted, "a 600 ms prompt is still playing after 400 ms");
        Assert.True(await played.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
        foreach (var (phone, other) in new[] { (a, B), (b, A) })
        {
            var heard = phone.ReceivedAudio(promptStarted);
            Assert.True(Goertzel.Amplitude(heard.AsSpan(800, 2400), Notice, 8000) > 1500, "the prompt reached the phone");
            Assert.True(Goertzel.Amplitude(heard.AsSpan(800, 2400), other, 8000) > 1500, "over the other member");
        }

        long toneStarted = Stopwatch.GetTimestamp();
        room.PlayTone(ConferenceTones.Join);
        await Task.Delay(600, TestContext.Current.CancellationToken);
        foreach (var phone in new[] { a, b })
        {
            var heard = phone.ReceivedAudio(toneStarted);
            Assert.True(Goertzel.Amplitude(heard.AsSpan(0, 4000), 450, 8000) > 500, "the join tone's first part");
            Assert.True(Goertzel.Amplitude(heard.AsSpan(0, 4000), 900, 8000) > 500, "and its second");
        }

        await room.StopRecordingAsync();
        Assert.Null(room.RecordingPath);
        var (format, channels) = WavReading.Read(Path.Combine(_folder, "rooms", "announce.wav"));
        Assert.Equal(8000, format.SampleRate);
        Assert.Single(channels);
        var mix = channels[0];
        Assert.InRange(mix.Length / 8000.0, 1.4, 3.0);
        Assert.True(Goertzel.Amplitude(mix.AsSpan(1600, 2000), A, 8000) > 2000, "both members are in the recording");
        Assert.True(Goertzel.Amplitude(mix.AsSpan(1600, 2000), B, 8000) > 2000);
        double best = 0;
        for (int start = 0; start + 2400 <= mix.Length; start += 400)
            best = Math.Max(best, Goertzel.Amplitude(mix.AsSpan(start, 2400), Notice, 8000));
        Assert.True(best > 2000, $"the prompt is in the recording (best window {best:F0})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_bridged_call_moved_into_a_room_keeps_its_stereo_recording_in_the_same_file(bool roomInUse)
    {
        // Worker 0 gets the room and the odd endpoints, worker 1 the caller (ties go to the first worker).
        await using var room = _engine.CreateConference(roomInUse ? "busy" : "fresh", 8000);
        var (other, otherEndpoint) = Call(AudioCodecs.Pcma);
        var (alice, caller) = Call(AudioCodecs.Pcma);
        var (bob, callee) = Call(AudioCodecs.Pcmu);
        if (roomInUse)
            await room.AddAsync(otherEndpoint, ConferenceRole.Listener);
        else
            await otherEndpoint.DisposeAsync();
        var bridge = _engine.Bridge(caller, callee, "calls/moved.wav");
        alice.PlayTone(Citizen);
        bob.PlayTone(Agent);
        var started = Stopwatch.StartNew();
        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.True(bridge.Transcoding);
        Assert.NotSame(room.Worker, caller.Leg.Worker);

        var members = await room.MoveBridgeAsync(bridge);
        Assert.Equal([caller, callee], members.Select(m => m.Endpoint));
        Assert.All(members, m => Assert.Equal(ConferenceRole.Talker, m.Role));
        Assert.Same(room.Worker, caller.Leg.Worker);
        Assert.Same(room.Worker, callee.Leg.Worker);
        var (carol, carolEndpoint) = Call(AudioCodecs.Pcma);
        await room.AddAsync(carolEndpoint);
        carol.PlayTone(Supervisor);
        long since = await Settle();
        Assert.Equal([Agent, Supervisor], Hears(alice, since, s_three));
        Assert.Equal([Citizen, Supervisor], Hears(bob, since, s_three));
        Assert.Equal([Citizen, Agent], Hears(carol, since, s_three));
        if (roomInUse)
            Assert.Equal([Citizen, Agent, Supervisor], Hears(other, since, s_three));

        // Hang-up: call control disposes the bridge; the file is final, the room is as it was.
        await bridge.DisposeAsync();
        var recorded = started.Elapsed;
        Assert.All(members, m => Assert.False(m.Left.IsCancellationRequested));
        since = await Settle();
        Assert.Equal([Citizen, Supervisor], Hears(bob, since, s_three));
        Assert.Equal(roomInUse ? 4 : 3, room.Count);

        var (format, channels) = WavReading.Read(bridge.RecordingPath!);
        Assert.Equal(Path.Combine(_folder, "calls", "moved.wav"), bridge.RecordingPath);
        Assert.Equal(2, format.Channels);
        double seconds = channels[0].Length / 8000.0;
        Assert.InRange(seconds, recorded.TotalSeconds - 0.3, recorded.TotalSeconds + 0.1);
        foreach (double at in new[] { 0.3, 0.6, seconds - 0.8, seconds - 0.4 })
        {
            var left = channels[0].AsSpan((int)(at * 8000), 2400);
            var right = channels[1].AsSpan((int)(at * 8000), 2400);
            Assert.True(Goertzel.Amplitude(left, Citizen, 8000) > 2000, $"the caller on the left at {at:F1} s");
            Assert.True(Goertzel.Amplitude(right, Agent, 8000) > 2000, $"the callee on the right at {at:F1} s");
            Assert.True(Goertzel.Amplitude(left, Supervisor, 8000) < 100, $"nobody else on the left at {at:F1} s");
            Assert.True(Goertzel.Amplitude(right, Supervisor, 8000) < 100, $"nobody else on the right at {at:F1} s");
            Assert.True(Goertzel.Amplitude(left, Agent, 8000) < 100 && Goertzel.Amplitude(right, Citizen, 8000) < 100, $"sides apart at {at:F1} s");
        }
    }

    [Fact]
    public async Task An_endpoint_that_closes_leaves_the_room_and_its_member_is_told()
    {
        await using var room = _engine.CreateConference("closing", 8000);
        var (a, aEndpoint) = Call(AudioCodecs.Pcma);
        var (b, bEndpoint) = Call(AudioCodecs.Pcma);
        var (_, cEndpoint) = Call(AudioCodecs.Pcma);
        await room.AddAsync(aEndpoint);
        await room.AddAsync(bEndpoint);
        var c = await room.AddAsync(cEndpoint);
        a.PlayTone(Citizen);
        b.PlayTone(Agent);

        await cEndpoint.DisposeAsync();
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (c.Left.Register(() => told.TrySetResult()))
            await told.Task.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(c.HasLeft);
        Assert.Equal(2, room.Count);
        long since = await Settle();
        Assert.Equal([Agent], Hears(a, since, s_three));
        Assert.Equal([Citizen], Hears(b, since, s_three));

        var left = room.RemoveAsync(bEndpoint);
        await left.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1, room.Count);
        Assert.Equal(0, _engine.GetStatistics().Faults);
    }

    /// <summary>A phone calling in (it offers, the engine answers), its endpoint not yet anywhere.</summary>
    private (UdpPhone Phone, MediaEndpoint Endpoint) Call(AudioCodecInfo codec)
    {
        var phone = new UdpPhone(codec, ssrc: (uint)(0x100 + _phones.Count));
        _phones.Add(phone);
        var endpoint = _engine.CreateEndpoint($"phone{_phones.Count}");
        var answer = endpoint.AnswerOffer(phone.Offer());
        Assert.True(answer.Ok, answer.Error);
        phone.ConnectTo(answer.Sdp!);
        return (phone, endpoint);
    }

    /// <summary>Lets a change reach the phones (jitter buffers, a few ticks), then marks where to listen from.</summary>
    private static async Task<long> Settle()
    {
        await Task.Delay(250, TestContext.Current.CancellationToken);
        long since = Stopwatch.GetTimestamp();
        await Task.Delay(700, TestContext.Current.CancellationToken);
        return since;
    }

    /// <summary>
    /// The tones among <paramref name="candidates"/> in what <paramref name="phone"/> received since
    /// <paramref name="since"/>: present at amplitude 2,000 or more (sent at 8,000), absent under 100.
    /// </summary>
    private static IReadOnlyList<double> Hears(UdpPhone phone, long since, double[] candidates)
    {
        var heard = phone.ReceivedAudio(since);
        int rate = phone.Codec.SampleRate;
        int window = rate * 2 / 5;
        Assert.True(heard.Length >= window, $"the phone got {heard.Length} samples, wanted {window}");
        var span = heard.AsSpan(heard.Length - window);
        var present = new List<double>();
        foreach (var f in candidates)
        {
            double level = Goertzel.Amplitude(span, f, rate);
            if (level >= 2000)
                present.Add(f);
            else if (level >= 100)
                Assert.Fail($"{f} Hz at {level:F0}: neither clearly present nor absent");
        }
        return present;
    }

    private static void WriteTone(string path, double frequency, int rate, double seconds)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        var pcm = Audio.Tone(frequency, rate, (int)(rate * seconds), 8000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        writer.Write(bytes, 0, bytes.Length);
    }
}
