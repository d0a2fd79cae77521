using Hotline.Media.Codecs;
using Hotline.Media.Mixing;
using Hotline.Media.Tests.Codecs;

namespace Hotline.Media.Tests.Mixing;

/// <summary>
/// The common mix encoded once: members who don't talk get the same payload, talkers get their own
/// mix-minus, and a G.722 member moving between the two streams is decoded by its far end without a glitch.
/// Each member's far end is a real decoder fed exactly the payloads the member was sent.
/// </summary>
public sealed class CommonMixTests
{
    private const int Rate = 16000;
    private const int Frame = 320;

    private static void Log(string message) => TestContext.Current.TestOutputHelper?.WriteLine(message);

    /// <summary>One member: what it hears (the mixer's output) and what its far end decodes from what it was sent.</summary>
    private sealed class Member
    {
        public Member(AudioMixer mixer, CommonMixStream? stream, Func<long, double> tone, bool handOver = true, int maxWait = CommonMixSubscription.DefaultMaxWaitFrames)
        {
            Participant = mixer.Add();
            Subscription = new CommonMixSubscription(stream, maxWait);
            Tone = tone;
            HandOver = handOver;
        }

        public MixerParticipant Participant { get; }
        public CommonMixSubscription Subscription { get; }
        public G722Encoder Encoder { get; } = new();
        public G722Decoder FarEnd { get; } = new();
        public Func<long, double> Tone { get; }
        public bool HandOver { get; }
        public List<short> Ideal { get; } = [];
        public List<short> Decoded { get; } = [];
        public List<byte[]> Sent { get; } = [];
        public List<bool> Shared { get; } = [];
        public long Sample;
    }

    /// <summary>
    /// Runs <paramref name="ticks"/> ticks: each member sends its tone of the tick (0: line noise around −65 dBov,
    /// what a silent phone sends), the room mixes, each member is sent the shared payload or its own encoding.
    /// </summary>
    private static void Run(AudioMixer mixer, IReadOnlyList<Member> members, long ticks)
    {
        var noise = new Random(5);
        var frame = new short[Frame];
        var own = new byte[Frame];
        var decoded = new short[Frame];
        for (long tick = 0; tick < ticks; tick++)
        {
            foreach (var m in members)
            {
                double f = m.Tone(tick);
                for (int i = 0; i < Frame; i++, m.Sample++)
                    frame[i] = f == 0 ? (short)noise.Next(-20, 21) : (short)(8000 * Math.Sin(2 * Math.PI * f * m.Sample / Rate));
                m.Participant.SetInput(frame);
            }
            mixer.Mix();
            foreach (var m in members)
            {
                ReadOnlySpan<byte> payload;
                bool wasShared = m.Subscription.IsShared;
                bool taken = m.Subscription.TryTake(m.Participant, m.Encoder, tick, out payload);
                if (!taken)
                {
                    // Leaving without the hand-over: the member's own encoder as it stood when it joined.
                    if (!m.HandOver && wasShared)
                        m.Encoder.Reset();
                    int n = m.Encoder.Encode(m.Participant.Output, own);
                    payload = own.AsSpan(0, n);
                    m.Subscription.EncodedPrivately(m.Participant, m.Encoder, tick);
                }
                m.Shared.Add(taken);
                m.Sent.Add(payload.ToArray());
                m.FarEnd.Decode(payload, decoded);
                m.Decoded.AddRange(decoded);
                m.Ideal.AddRange(m.Participant.Output.ToArray());
            }
        }
    }

    private static (AudioMixer Mixer, CommonMixStream Stream) Room()
    {
        var mixer = new AudioMixer(Rate) { GateSilence = true };
        var stream = CommonMixStream.Create(AudioCodecs.G722, Frame);
        Assert.NotNull(stream);
        return (mixer, stream);
    }

    /// <summary>SNR of a far end's decoded audio against what the member should hear, over ticks [from, to).</summary>
    private static double Snr(Member m, long from, long to)
    {
        // The two QMFs delay G.722 by 22 samples.
        var ideal = m.Ideal.ToArray().AsSpan((int)from * Frame, (int)(to - from) * Frame - 22);
        var decoded = m.Decoded.ToArray().AsSpan((int)from * Frame + 22, ideal.Length);
        return SignalMeasure.Snr(ideal, decoded);
    }

    [Fact]
    public void Members_who_do_not_talk_are_sent_identical_payloads_encoded_once_per_tick()
    {
        var (mixer, stream) = Room();
        var members = new List<Member>
        {
            new(mixer, stream, _ => 440),
            new(mixer, stream, t => t < 100 ? 0 : 1000),
        };
        for (int i = 0; i < 6; i++)
            members.Add(new Member(mixer, stream, _ => 0));
        Run(mixer, members, 150);

        // Ticks 20..99: one talker; 100..149: two. Every silent member gets the same bytes, the shared ones.
        for (int tick = 20; tick < 150; tick++)
        {
            var silent = members.Skip(2).Select(m => m.Sent[tick]).ToList();
            Assert.All(silent, p => Assert.Equal(silent[0], p));
            Assert.All(members.Skip(2), m => Assert.True(m.Subscription.IsShared));
            Assert.NotEqual(silent[0], members[0].Sent[tick]);
            if (tick < 100)
                Assert.Equal(silent[0], members[1].Sent[tick]);
            else
                Assert.NotEqual(silent[0], members[1].Sent[tick]);
        }
        Assert.Equal(150, stream.Encoded);
        Assert.Equal(AudioCodecs.G722, stream.Codec);
    }

    [Fact]
    public void A_talker_never_hears_itself_and_listeners_hear_every_talker()
    {
        var (mixer, stream) = Room();
        var a = new Member(mixer, stream, _ => 440);
        var b = new Member(mixer, stream, _ => 1000);
        var c = new Member(mixer, stream, _ => 0);
        Run(mixer, [a, b, c], 50);
        var window = ^(Rate / 2)..;
        Assert.True(Goertzel.Amplitude(a.Decoded.ToArray()[window], 440, Rate) < 100);
        Assert.True(Goertzel.Amplitude(a.Decoded.ToArray()[window], 1000, Rate) > 6000);
        Assert.True(Goertzel.Amplitude(b.Decoded.ToArray()[window], 1000, Rate) < 100);
        Assert.True(Goertzel.Amplitude(b.Decoded.ToArray()[window], 440, Rate) > 6000);
        Assert.True(Goertzel.Amplitude(c.Decoded.ToArray()[window], 440, Rate) > 6000);
        Assert.True(Goertzel.Amplitude(c.Decoded.ToArray()[window], 1000, Rate) > 6000);
    }

    [Fact]
    public void A_G722_member_leaving_the_shared_stream_continues_exactly_and_joining_it_costs_a_short_reconvergence()
    {
        var (mixer, stream) = Room();
        // A talks throughout; B talks, falls silent, talks again, falls silent; C only listens.
        var a = new Member(mixer, stream, _ => 440);
        var b = new Member(mixer, stream, t => (t / 100) % 2 == 0 ? 700 : 0);
        var c = new Member(mixer, stream, _ => 0);
        Run(mixer, [a, b, c], 400);

        var joins = Enumerable.Range(1, 399).Where(t => b.Shared[t] && !b.Shared[t - 1]).ToList();
        var leaves = Enumerable.Range(1, 399).Where(t => !b.Shared[t] && b.Shared[t - 1]).ToList();
        foreach (int t in joins.Concat(leaves).Order())
            Log($"{(b.Shared[t] ? "join" : "leave")} at tick {t}, SNR of the next 20 ms frames: "
                + string.Join(" ", Enumerable.Range(0, 6).Select(k => $"{Snr(b, t + k, t + k + 1):F1}")));
        Log($"listener C: {Snr(c, 1, 400):F1} dB over the call");
        // B stops talking at 100 and 300; the talker detector's 400 ms hangover keeps it in the mix a while.
        Assert.Equal(2, joins.Count);
        Assert.Equal([200], leaves);
        Assert.InRange(joins[0], 100, 140);
        Assert.InRange(joins[1], 300, 340);
        Assert.Equal(2, b.Subscription.Joins);

        // Leaving is exact: B's own encoder takes the shared state its far end followed, so what B hears from
        // the first frame is as clean as a listener's (G.722 of these tones: 52-57 dB).
        Assert.True(Snr(b, 200, 205) > 50, $"after leaving {Snr(b, 200, 205):F1} dB");
        // Joining is not: B's far end followed B's own encoder, whose ADPCM state differs from the shared one,
        // and its decoder re-converges. Measured over runs with different line noise: the first 20 ms decode at
        // 17-34 dB, above 40 dB from 60 ms on. A decoder that never re-converged would stay near 0 dB.
        foreach (int t in joins)
        {
            Assert.True(Snr(b, t, t + 1) > 12, $"first frame after joining at {t}: {Snr(b, t, t + 1):F1} dB");
            Assert.True(Snr(b, t + 3, t + 8) > 38, $"60-160 ms after joining at {t}: {Snr(b, t + 3, t + 8):F1} dB");
        }
    }

    [Fact]
    public void Without_the_state_hand_over_leaving_the_shared_stream_would_garble_40_ms()
    {
        // The control for the test above: the member's encoder restarts from its own old state instead.
        var (mixer, stream) = Room();
        var a = new Member(mixer, stream, _ => 440);
        var b = new Member(mixer, stream, t => (t / 100) % 2 == 0 ? 700 : 0, handOver: false);
        Run(mixer, [a, b], 220);
        Assert.False(b.Shared[200]);
        Assert.True(b.Shared[199]);
        Log($"no hand-over, SNR after leaving: " + string.Join(" ", Enumerable.Range(0, 6).Select(k => $"{Snr(b, 200 + k, 201 + k):F1}")));
        Assert.True(Snr(b, 200, 202) < 0, $"{Snr(b, 200, 202):F1} dB");
    }

    [Fact]
    public void A_gated_mixer_takes_a_loud_frame_at_once_and_leaves_line_noise_out()
    {
        var mixer = new AudioMixer(Rate) { GateSilence = true };
        var speaker = mixer.Add();
        var listener = mixer.Add();
        var noise = new short[Frame];
        var rng = new Random(1);
        for (int i = 0; i < Frame; i++)
            noise[i] = (short)rng.Next(-20, 21);
        speaker.SetInput(noise);
        mixer.Mix();
        Assert.All(listener.Output.ToArray(), s => Assert.Equal(0, s));
        Assert.True(listener.HearsCommonMix);
        Assert.True(speaker.HearsCommonMix);

        // The first frame of speech counts before the talker detector's attack has passed: no onset is clipped.
        var tone = SineSource.Generate(1000, Rate, 3000, Frame);
        speaker.SetInput(tone);
        mixer.Mix();
        Assert.False(speaker.IsTalking);
        Assert.Equal(tone, listener.Output.ToArray());
        Assert.False(speaker.HearsCommonMix);
        Assert.Equal(tone, mixer.CommonMix.ToArray());

        // Ungated, the same line noise is mixed in.
        var ungated = new AudioMixer(Rate);
        var a = ungated.Add();
        var b = ungated.Add();
        a.SetInput(noise);
        ungated.Mix();
        Assert.Equal(noise, b.Output.ToArray());
        Assert.False(a.HearsCommonMix);
    }

    [Fact]
    public void A_source_that_is_not_gated_is_heard_however_quiet()
    {
        var mixer = new AudioMixer(Rate) { GateSilence = true };
        var prompt = mixer.Add();
        prompt.Gated = false;
        prompt.Deaf = true;
        var listener = mixer.Add();
        // About −56 dBov: below the stop level, a silent line's frame would be left out.
        var quiet = SineSource.Generate(400, Rate, 50, Frame);
        prompt.SetInput(quiet);
        mixer.Mix();
        Assert.Equal(quiet, listener.Output.ToArray());
        Assert.True(listener.HearsCommonMix);
    }

    [Fact]
    public void Stateless_codecs_and_G722_are_shared_and_Opus_is_not()
    {
        Assert.NotNull(CommonMixStream.Create(AudioCodecs.Pcmu, 160));
        Assert.NotNull(CommonMixStream.Create(AudioCodecs.Pcma, 160));
        Assert.NotNull(CommonMixStream.Create(AudioCodecs.G722, 320));
        Assert.Null(CommonMixStream.Create(AudioCodecs.All.First(c => c.Name.Equals("opus", StringComparison.OrdinalIgnoreCase)), 960));
    }
}
