using Hotline.Media.Mixing;

namespace Hotline.Media.Tests.Mixing;

public class TalkerDetectionTests
{
    private static readonly TalkerDetectorOptions Options = new()
    {
        StartThresholdDbov = -40, StopThresholdDbov = -45, AttackMilliseconds = 60, HangoverMilliseconds = 400, Smoothing = 0.5,
    };

    [Fact]
    public void Talking_starts_after_attack_and_stops_after_hangover_with_one_event_each_way()
    {
        var mixer = new AudioMixer(8000, 20, Options);
        var talker = mixer.Add();
        var quiet = mixer.Add();
        var events = new List<(MixerParticipant, bool, int)>();
        int tick = 0;
        mixer.TalkingChanged += (p, talking) => events.Add((p, talking, tick));
        var speech = new SineSource(440, 8000, 3000);  // about −24 dBov
        var frame = new short[160];

        for (tick = 0; tick < 50; tick++)
        {
            speech.Next(frame);
            talker.SetInput(frame);
            quiet.SetInput(new short[160]);
            mixer.Mix();
            if (tick == 1)
                Assert.False(talker.IsTalking);   // a 40 ms burst is not speech (attack is 3 frames)
        }
        Assert.True(talker.IsTalking);
        Assert.False(quiet.IsTalking);
        Assert.Single(events);
        Assert.Equal((talker, true, 2), events[0]);
        Assert.InRange(talker.LevelDbov, -26, -22);

        int silenceStart = tick;
        int stoppedAt = -1;
        for (; tick < silenceStart + 60; tick++)
        {
            talker.MarkAbsent();
            mixer.Mix();
            if (!talker.IsTalking && stoppedAt < 0)
                stoppedAt = tick - silenceStart;
        }
        // Hangover is 20 frames below the stop threshold; smoothing takes a few frames to fall below it.
        Assert.InRange(stoppedAt, 20, 30);
        Assert.Equal(2, events.Count);
        Assert.Equal(talker, events[1].Item1);
        Assert.False(events[1].Item2);
    }

    [Fact]
    public void A_short_gap_within_the_hangover_keeps_the_talker_talking()
    {
        var mixer = new AudioMixer(8000, 20, Options);
        var talker = mixer.Add();
        int changes = 0;
        mixer.TalkingChanged += (_, _) => changes++;
        var speech = new SineSource(300, 8000, 3000);
        for (int round = 0; round < 5; round++)
        {
            for (int i = 0; i < 20; i++)
            {
                talker.SetInput(speech.Next(160));
                mixer.Mix();
            }
            for (int i = 0; i < 10; i++)   // 200 ms pause between words
                mixer.Mix();
            Assert.True(talker.IsTalking);
        }
        Assert.Equal(1, changes);
    }
}
