using Hotline.Media.Mixing;

namespace Hotline.Media.Tests.Mixing;

public class AudioMixerTests
{
    private const int Rate = 8000;
    private const int Frame = 160;
    private const double Amp = 4000;

    /// <summary>Runs <paramref name="ticks"/> ticks, feeding each participant its own sine, and returns what each heard in the last 1,600 samples.</summary>
    private static short[][] Run(AudioMixer mixer, MixerParticipant[] ps, double[] freqs, int ticks = 20, bool[]? absent = null)
    {
        var sources = freqs.Select(f => new SineSource(f, Rate, Amp)).ToArray();
        var heard = ps.Select(_ => new List<short>()).ToArray();
        var frame = new short[mixer.SamplesPerFrame];
        for (int t = 0; t < ticks; t++)
        {
            for (int i = 0; i < ps.Length; i++)
            {
                sources[i].Next(frame);
                if (absent?[i] == true)
                    ps[i].MarkAbsent();
                else
                    ps[i].SetInput(frame);
            }
            mixer.Mix();
            if (t >= ticks - 10)
                for (int i = 0; i < ps.Length; i++)
                    heard[i].AddRange(ps[i].Output.ToArray());
        }
        return heard.Select(h => h.ToArray()).ToArray();
    }

    // 1,600 samples at 8 kHz = 0.2 s: every frequency below is a multiple of 5 Hz, so bin-aligned.
    private static readonly double[] Tones = [300, 500, 700, 1100];

    private static void AssertHears(short[] heard, double frequency) =>
        Assert.InRange(Goertzel.Amplitude(heard, frequency, Rate), Amp * 0.97, Amp * 1.03);

    private static void AssertDoesNotHear(short[] heard, double frequency) =>
        Assert.InRange(Goertzel.Amplitude(heard, frequency, Rate), 0, 5);

    [Fact]
    public void Each_participant_hears_everyone_but_itself()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Tones.Select(_ => mixer.Add()).ToArray();
        var heard = Run(mixer, ps, Tones);
        for (int i = 0; i < ps.Length; i++)
            for (int j = 0; j < Tones.Length; j++)
            {
                if (i == j)
                    AssertDoesNotHear(heard[i], Tones[j]);
                else
                    AssertHears(heard[i], Tones[j]);
            }
    }

    [Fact]
    public void Works_at_16kHz_with_320_sample_frames()
    {
        var mixer = new AudioMixer(16000);
        Assert.Equal(320, mixer.SamplesPerFrame);
        var a = mixer.Add();
        var b = mixer.Add();
        a.SetInput(Enumerable.Repeat((short)100, 320).ToArray());
        b.SetInput(Enumerable.Repeat((short)-7, 320).ToArray());
        mixer.Mix();
        Assert.All(a.Output.ToArray(), s => Assert.Equal(-7, s));
        Assert.All(b.Output.ToArray(), s => Assert.Equal(100, s));
    }

    [Fact]
    public void Sum_saturates_at_plus_32767_and_minus_32768()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Enumerable.Range(0, 4).Select(_ => mixer.Add()).ToArray();
        short[] values = [20000, 20000, -20000, -32768];
        Tick(mixer, ps, values);
        // p0 hears 20000 − 20000 − 32768 = −32768 exactly; p3 hears 20000 + 20000 − 20000 = 20000.
        AssertAll(ps[0], -32768);
        AssertAll(ps[3], 20000);

        Tick(mixer, ps, [30000, 30000, 30000, 0]);
        AssertAll(ps[0], 32767);
        AssertAll(ps[3], 32767);

        Tick(mixer, ps, [-30000, -30000, -30000, 0]);
        AssertAll(ps[3], -32768);
        // Own contribution is removed from the unsaturated total: p0 hears −60000 → −32768, not a wrapped value.
        AssertAll(ps[0], -32768);
    }

    [Fact]
    public void Muted_participant_is_heard_by_nobody_but_still_hears()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Tones.Select(_ => mixer.Add()).ToArray();
        ps[1].Muted = true;
        var heard = Run(mixer, ps, Tones);
        AssertDoesNotHear(heard[0], Tones[1]);
        AssertDoesNotHear(heard[2], Tones[1]);
        AssertDoesNotHear(heard[3], Tones[1]);
        AssertHears(heard[1], Tones[0]);
        AssertHears(heard[1], Tones[3]);
    }

    [Fact]
    public void Deaf_participant_hears_silence_but_is_heard()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Tones.Select(_ => mixer.Add()).ToArray();
        ps[2].Deaf = true;
        var heard = Run(mixer, ps, Tones);
        Assert.All(heard[2], s => Assert.Equal(0, s));
        AssertHears(heard[0], Tones[2]);
        AssertHears(heard[3], Tones[2]);
    }

    [Fact]
    public void Gain_is_applied_to_the_input_before_mixing()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Tones.Select(_ => mixer.Add()).ToArray();
        ps[0].GainQ12 = 2 * 4096;           // ×2
        ps[1].GainDb = -6.0206;             // ×0.5
        ps[2].GainDb = double.NegativeInfinity;
        Assert.Equal(2048, ps[1].GainQ12);
        Assert.Equal(6.0206, ps[0].GainDb, 3);
        var heard = Run(mixer, ps, Tones);
        Assert.InRange(Goertzel.Amplitude(heard[3], Tones[0], Rate), 2 * Amp * 0.97, 2 * Amp * 1.03);
        Assert.InRange(Goertzel.Amplitude(heard[3], Tones[1], Rate), Amp / 2 * 0.97, Amp / 2 * 1.03);
        AssertDoesNotHear(heard[3], Tones[2]);
        // The gained participant doesn't hear its own (gained) input either.
        AssertDoesNotHear(heard[0], Tones[0]);
    }

    [Fact]
    public void Whisper_is_heard_only_by_the_chosen_participant()
    {
        var mixer = new AudioMixer(Rate);
        var caller = mixer.Add("caller");
        var agent = mixer.Add("agent");
        var supervisor = mixer.Add("supervisor");
        supervisor.SetHeardOnlyBy(agent);
        var heard = Run(mixer, [caller, agent, supervisor], [300, 500, 700]);
        AssertHears(heard[1], 700);           // agent hears the whisper
        AssertHears(heard[1], 300);           // and the caller
        AssertDoesNotHear(heard[0], 700);     // caller never hears the supervisor
        AssertHears(heard[0], 500);
        AssertHears(heard[2], 300);           // supervisor hears both sides
        AssertHears(heard[2], 500);
        AssertDoesNotHear(heard[2], 700);
        Assert.Equal(1, mixer.RestrictedCount);
    }

    [Fact]
    public void Listener_hears_everyone_and_is_heard_by_no_one()
    {
        var mixer = new AudioMixer(Rate);
        var caller = mixer.Add();
        var agent = mixer.Add();
        var listener = mixer.Add();
        listener.SetListener();
        Assert.True(listener.IsListener);
        var heard = Run(mixer, [caller, agent, listener], [300, 500, 700]);
        AssertHears(heard[2], 300);
        AssertHears(heard[2], 500);
        AssertDoesNotHear(heard[0], 700);
        AssertDoesNotHear(heard[1], 700);
    }

    [Fact]
    public void Barge_makes_a_listener_a_normal_participant()
    {
        var mixer = new AudioMixer(Rate);
        var ps = new[] { mixer.Add(), mixer.Add(), mixer.Add() };
        ps[2].SetListener();
        Run(mixer, ps, [300, 500, 700]);
        ps[2].ClearAudibilityRestriction();
        var heard = Run(mixer, ps, [300, 500, 700]);
        AssertHears(heard[0], 700);
        AssertHears(heard[1], 700);
        Assert.Equal(0, mixer.RestrictedCount);
    }

    [Fact]
    public void Absent_input_contributes_nothing_but_still_hears()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Tones.Select(_ => mixer.Add()).ToArray();
        var heard = Run(mixer, ps, Tones, absent: [false, true, false, false]);
        AssertDoesNotHear(heard[0], Tones[1]);
        AssertHears(heard[1], Tones[0]);
    }

    [Fact]
    public void Input_not_set_again_counts_as_absent_on_the_next_tick()
    {
        var mixer = new AudioMixer(Rate);
        var a = mixer.Add();
        var b = mixer.Add();
        a.SetInput(Enumerable.Repeat((short)1000, Frame).ToArray());
        mixer.Mix();
        AssertAll(b, 1000);
        mixer.Mix();
        AssertAll(b, 0);
    }

    [Fact]
    public void Removed_participant_is_no_longer_heard_and_whisper_to_it_is_dropped()
    {
        var mixer = new AudioMixer(Rate);
        var a = mixer.Add();
        var b = mixer.Add();
        var c = mixer.Add();
        c.SetHeardOnlyBy(b);
        Assert.True(mixer.Remove(b));
        Assert.False(mixer.Remove(b));
        Assert.Equal(2, mixer.Count);
        Tick(mixer, [a, c], [100, 50]);
        AssertAll(a, 0);
        AssertAll(c, 100);
    }

    [Fact]
    public void Wrong_length_frame_is_padded_counted_and_reported()
    {
        var mixer = new AudioMixer(Rate);
        var a = mixer.Add();
        var b = mixer.Add();
        Assert.False(a.SetInput(Enumerable.Repeat((short)7, 100).ToArray()));
        mixer.Mix();
        Assert.Equal(1, mixer.MalformedFrames);
        Assert.Equal(7, b.Output[99]);
        Assert.Equal(0, b.Output[100]);
    }

    [Fact]
    public void Mixing_allocates_nothing_per_frame()
    {
        var mixer = new AudioMixer(Rate);
        var ps = Enumerable.Range(0, 10).Select(_ => mixer.Add()).ToArray();
        ps[9].SetListener();
        ps[8].SetHeardOnlyBy(ps[0]);
        ps[3].Muted = true;
        ps[4].GainDb = 3;
        var frame = SineSource.Generate(440, Rate, 8000, Frame);
        void Tick()
        {
            foreach (var p in ps)
                p.SetInput(frame);
            mixer.Mix();
        }
        for (int i = 0; i < 10; i++)
            Tick();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            Tick();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Tick(AudioMixer mixer, MixerParticipant[] ps, short[] values)
    {
        for (int i = 0; i < ps.Length; i++)
            ps[i].SetInput(Enumerable.Repeat(values[i], mixer.SamplesPerFrame).ToArray());
        mixer.Mix();
    }

    private static void AssertAll(MixerParticipant p, short expected) =>
        Assert.All(p.Output.ToArray(), s => Assert.Equal(expected, s));
}
