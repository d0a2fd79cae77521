using System.Diagnostics;
using System.Net;
using Hotline.Media.Codecs;
using Hotline.Media.Dtmf;
using Hotline.Media.Engine;
using Hotline.Media.Tests.Mixing;
using NAudio.Wave;
using WavReading = Hotline.Media.Tests.Recording.WavReading;

namespace Hotline.Media.Tests.Engine;

/// <summary>The loopback tests with each worker reading its sockets through its own epoll set.</summary>
public sealed class EpollLoopbackTests() : LoopbackTests(PacketReceiveMode.Epoll, 43000)
{
}

/// <summary>The same tests with one asynchronous receive loop per socket, completions queued to the workers.</summary>
public sealed class AsyncReceiveLoopbackTests() : LoopbackTests(PacketReceiveMode.AsyncReceive, 44000)
{
}

/// <summary>
/// The whole engine on real UDP sockets on 127.0.0.1, with test sockets as the phones: two endpoints
/// bridged, each phone sending a known tone, one of them with another codec to force transcoding.
/// </summary>
public abstract class LoopbackTests : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "hotline-loopback-" + Guid.NewGuid().ToString("N"));
    private readonly MediaEngine _engine;

    protected LoopbackTests(PacketReceiveMode mode, int firstPort)
    {
        if (mode == PacketReceiveMode.Epoll && !OperatingSystem.IsLinux())
            Assert.Skip("epoll is Linux only");
        Directory.CreateDirectory(Path.Combine(_folder, "moh"));
        WriteWav(Path.Combine(_folder, "moh", "music.wav"), 600, 8000, 3);
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddress = IPAddress.Loopback,
            RtpPortMin = firstPort,
            RtpPortMax = firstPort + 998,
            ReceiveMode = mode,
            Workers = 2,
            RecordingsRoot = _folder,
            MusicOnHoldFolder = Path.Combine(_folder, "moh"),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    public static TheoryData<string> OtherCodecs => ["PCMA", "PCMU", "G722", "opus"];

    [Theory]
    [MemberData(nameof(OtherCodecs))]
    public async Task Bridged_phones_hear_each_other_and_the_recording_has_caller_left_callee_right(string calleeCodec)
    {
        var calleeInfo = calleeCodec == "opus" ? AudioCodecs.OpusWideband : AudioCodecs.All.First(c => c.Name == calleeCodec);
        using var alice = new UdpPhone(AudioCodecs.Pcma);
        using var bob = new UdpPhone(calleeInfo);
        await using var caller = _engine.CreateEndpoint("alice");
        await using var callee = _engine.CreateEndpoint("bob");

        // Alice calls in (she offers); the switch calls Bob (it offers, he answers).
        var answer = caller.AnswerOffer(alice.Offer());
        Assert.True(answer.Ok, answer.Error);
        alice.ConnectTo(answer.Sdp!);
        Assert.Null(callee.ApplyAnswer(bob.Answer(callee.CreateOffer())));
        var bridge = _engine.Bridge(caller, callee, "2026/03/01/call.wav");
        Assert.True(await Eventually(() => bridge.Transcoding == (calleeCodec != "PCMA")));

        alice.PlayTone(700);
        bob.PlayTone(1300);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        alice.StopSending();
        bob.StopSending();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        await bridge.DisposeAsync();

        var heardByBob = bob.ReceivedAudio();
        var heardByAlice = alice.ReceivedAudio();
        int bobRate = calleeInfo.SampleRate;
        Assert.True(heardByBob.Length > bobRate, $"Bob got {heardByBob.Length} samples");
        Assert.True(heardByAlice.Length > 8000, $"Alice got {heardByAlice.Length} samples");
        AssertTone(heardByBob.AsSpan(bobRate / 5, bobRate / 2), bobRate, expected: 700, absent: 1300);
        AssertTone(heardByAlice.AsSpan(1600, 4000), 8000, expected: 1300, absent: 700);

        var (format, channels) = WavReading.Read(bridge.RecordingPath!);
        Assert.Equal(calleeInfo.SampleRate >= 16000 ? 16000 : 8000, format.SampleRate);
        Assert.Equal(2, format.Channels);
        int rate = format.SampleRate;
        AssertTone(channels[0].AsSpan(rate / 2, rate / 2), rate, expected: 700, absent: 1300);
        AssertTone(channels[1].AsSpan(rate / 2, rate / 2), rate, expected: 1300, absent: 700);

        Sox.Require();
        Assert.InRange(Sox.RoughFrequency(bridge.RecordingPath!, 1, 0.3), 650, 750);
        Assert.InRange(Sox.RoughFrequency(bridge.RecordingPath!, 2, 0.3), 1200, 1400);
    }

    [Fact]
    public async Task A_digit_sent_as_RFC_4733_arrives_on_the_other_side_with_its_payload_type()
    {
        // Alice's phone numbers telephone-event 100; our offer to Bob numbers it 101.
        using var alice = new UdpPhone(AudioCodecs.Pcma, eventPayloadType: 100);
        using var bob = new UdpPhone(AudioCodecs.Pcma, eventPayloadType: 101);
        await using var caller = _engine.CreateEndpoint("alice");
        await using var callee = _engine.CreateEndpoint("bob");
        var digits = new List<char>();
        caller.DtmfReceived += (_, d) => { lock (digits) digits.Add(d); };
        alice.ConnectTo(caller.AnswerOffer(alice.Offer()).Sdp!);
        Assert.Null(callee.ApplyAnswer(bob.Answer(callee.CreateOffer())));
        await using var bridge = _engine.Bridge(caller, callee);

        alice.PlayTone(500);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        alice.PressKey('5');
        await Task.Delay(600, TestContext.Current.CancellationToken);
        alice.StopSending();
        await Task.Delay(100, TestContext.Current.CancellationToken);

        lock (digits)
            Assert.Equal(['5'], digits);
        var events = bob.Packets().Where(p => p.Header.PayloadType == 101).ToList();
        Assert.Equal(8, events.Count);
        Assert.All(events, e => Assert.True(Rfc4733Event.TryRead(e.Payload, out var evt) && evt.Digit == '5'));
        Assert.All(events, e => Assert.Equal(events[0].Header.Timestamp, e.Header.Timestamp));
    }

    [Fact]
    public async Task Holding_stops_media_to_the_holder_and_music_on_hold_plays_to_the_other_side()
    {
        using var alice = new UdpPhone(AudioCodecs.Pcma);
        using var bob = new UdpPhone(AudioCodecs.Pcmu);
        await using var caller = _engine.CreateEndpoint("alice");
        await using var callee = _engine.CreateEndpoint("bob");
        alice.ConnectTo(caller.AnswerOffer(alice.Offer()).Sdp!);
        Assert.Null(callee.ApplyAnswer(bob.Answer(callee.CreateOffer())));
        await using var bridge = _engine.Bridge(caller, callee);
        alice.PlayTone(700);
        bob.PlayTone(1300);
        await Task.Delay(400, TestContext.Current.CancellationToken);

        // Alice puts Bob on hold (re-INVITE with sendonly); call control plays music to Bob.
        var answer = caller.AnswerOffer(alice.Offer("sendonly"));
        Assert.Contains("a=recvonly", answer.Sdp);
        Assert.True(caller.RemoteHold);
        callee.PlayMusicOnHold();
        await Task.Delay(100, TestContext.Current.CancellationToken);
        long holdStarted = Stopwatch.GetTimestamp();
        await Task.Delay(1000, TestContext.Current.CancellationToken);

        var toAlice = alice.Packets().Count(p => p.Arrival >= holdStarted);
        Assert.Equal(0, toAlice);
        var music = bob.ReceivedAudio(holdStarted);
        Assert.True(music.Length >= 6000, $"Bob got {music.Length} samples of music");
        AssertTone(music.AsSpan(800, 4000), 8000, expected: 600, absent: 700);
    }

    [Fact]
    public async Task Media_follows_a_peer_that_sends_from_another_port_than_it_signalled()
    {
        using var alice = new UdpPhone(AudioCodecs.Pcma, sendFromAnotherPort: true);
        using var bob = new UdpPhone(AudioCodecs.Pcma);
        await using var caller = _engine.CreateEndpoint("alice");
        await using var callee = _engine.CreateEndpoint("bob");
        alice.ConnectTo(caller.AnswerOffer(alice.Offer()).Sdp!);
        Assert.Null(callee.ApplyAnswer(bob.Answer(callee.CreateOffer())));
        await using var bridge = _engine.Bridge(caller, callee);
        Assert.NotEqual(alice.SignalledPort, alice.MediaPort);

        alice.PlayTone(700);
        bob.PlayTone(1300);
        await Task.Delay(800, TestContext.Current.CancellationToken);

        var heard = alice.ReceivedAudio();
        Assert.True(heard.Length > 4000, $"Alice got {heard.Length} samples on the port she really uses");
        AssertTone(heard.AsSpan(heard.Length - 3200, 3200), 8000, expected: 1300, absent: 700);
        Assert.Equal(alice.MediaPort, caller.Statistics.RemoteRtp!.Port);
    }

    [Fact]
    public async Task In_a_conference_each_phone_hears_all_the_others_but_not_itself()
    {
        double[] tones = [500, 900, 1400];
        var phones = tones.Select((_, i) => new UdpPhone(AudioCodecs.Pcma, ssrc: (uint)(100 + i))).ToList();
        var endpoints = tones.Select((_, i) => _engine.CreateEndpoint($"member{i}")).ToList();
        await using var room = _engine.CreateConference("room", 16000);
        try
        {
            for (int i = 0; i < phones.Count; i++)
            {
                phones[i].ConnectTo(endpoints[i].AnswerOffer(phones[i].Offer()).Sdp!);
                await room.AddAsync(endpoints[i]);
                phones[i].PlayTone(tones[i]);
            }
            await Task.Delay(1200, TestContext.Current.CancellationToken);
            foreach (var phone in phones)
                phone.StopSending();

            for (int i = 0; i < phones.Count; i++)
            {
                var heard = phones[i].ReceivedAudio();
                Assert.True(heard.Length > 4800, $"member {i} got {heard.Length} samples");
                var window = heard.AsSpan(heard.Length - 4800, 4000);
                double own = Goertzel.Amplitude(window, tones[i], 8000);
                foreach (var other in tones.Where((_, j) => j != i))
                {
                    double amplitude = Goertzel.Amplitude(window, other, 8000);
                    Assert.True(amplitude > 2000, $"member {i} hears {other} Hz at {amplitude:F0}");
                    Assert.True(own < amplitude / 20, $"member {i} hears itself at {own:F0} against {amplitude:F0}");
                }
            }
        }
        finally
        {
            foreach (var phone in phones)
                phone.Dispose();
            foreach (var endpoint in endpoints)
                await endpoint.DisposeAsync();
        }
    }

    [Fact]
    public async Task Closing_an_endpoint_sends_RTCP_BYE_and_frees_its_ports()
    {
        using var alice = new UdpPhone(AudioCodecs.Pcma);
        var endpoint = _engine.CreateEndpoint("alice");
        int port = endpoint.RtpPort;
        alice.ConnectTo(endpoint.AnswerOffer(alice.Offer()).Sdp!);
        await endpoint.DisposeAsync();

        using var rebind = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        rebind.Bind(new IPEndPoint(IPAddress.Loopback, port)); // throws if the engine still held it
        Assert.Equal(0, _engine.GetStatistics().Faults);
    }

    private static void AssertTone(ReadOnlySpan<short> pcm, int rate, double expected, double absent)
    {
        double wanted = Goertzel.Amplitude(pcm, expected, rate);
        double unwanted = Goertzel.Amplitude(pcm, absent, rate);
        Assert.True(wanted > 2000, $"{expected} Hz at amplitude {wanted:F0}");
        Assert.True(unwanted < wanted / 20, $"{absent} Hz at {unwanted:F0} against {expected} Hz at {wanted:F0}");
    }

    private static async Task<bool> Eventually(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++)
            await Task.Delay(10);
        return condition();
    }

    private static void WriteWav(string path, double frequency, int rate, double seconds)
    {
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        var pcm = Audio.Tone(frequency, rate, (int)(rate * seconds), 10000);
        var bytes = new byte[pcm.Length * 2];
        Buffer.BlockCopy(pcm, 0, bytes, 0, bytes.Length);
        writer.Write(bytes, 0, bytes.Length);
    }
}
