using Hotline.Media.Playback;
using Hotline.Media.Tests.Recording;

namespace Hotline.Media.Tests.Playback;

public class PromptPlayerTests
{
    private static (Prompt A, Prompt B) TwoPrompts(TempDirectory dir)
    {
        var cache = new PromptCache();
        // 0.25 s + 0.105 s at 8 kHz: 2,000 and 840 samples, so the list ends mid-frame.
        var a = cache.Get(TestWavFiles.Write(dir.File("a.wav"), 8000, 16, false, [400], 0.25), 8000);
        var b = cache.Get(TestWavFiles.Write(dir.File("b.wav"), 8000, 16, false, [900], 0.105), 8000);
        return (a, b);
    }

    [Fact]
    public void Plays_a_list_back_to_back_then_reports_completion_once()
    {
        using var dir = new TempDirectory();
        var (a, b) = TwoPrompts(dir);
        var player = new PromptPlayer(8000);
        int completed = 0;
        player.Completed += _ => completed++;
        player.Play(a, b);

        var heard = new List<short>();
        var statuses = new List<PlaybackStatus>();
        var frame = new short[160];
        for (int i = 0; i < 20; i++)
        {
            statuses.Add(player.Read(frame));
            heard.AddRange(frame);
        }

        // 2,840 samples = 17 full frames and 120 samples of an 18th.
        Assert.All(statuses.Take(17), s => Assert.Equal(PlaybackStatus.Playing, s));
        Assert.Equal(PlaybackStatus.Completed, statuses[17]);
        Assert.Equal(PlaybackStatus.Idle, statuses[18]);
        Assert.Equal(1, completed);
        Assert.Equal([.. a.Samples, .. b.Samples], heard.Take(2840));
        Assert.All(heard.Skip(2840), s => Assert.Equal(0, s));
        Assert.Equal(2840, player.SamplesPlayed);
        Assert.False(player.IsPlaying);
    }

    [Fact]
    public void Stop_silences_at_once_without_completion()
    {
        using var dir = new TempDirectory();
        var (a, _) = TwoPrompts(dir);
        var player = new PromptPlayer(8000);
        int completed = 0;
        player.Completed += _ => completed++;
        player.Play(a);
        var frame = new short[160];
        Assert.Equal(PlaybackStatus.Playing, player.Read(frame));
        player.Stop();
        Assert.Equal(PlaybackStatus.Idle, player.Read(frame));
        Assert.All(frame, s => Assert.Equal(0, s));
        Assert.Equal(0, completed);
    }

    [Fact]
    public void Prompt_at_another_rate_is_refused()
    {
        using var dir = new TempDirectory();
        var wide = new PromptCache().Get(TestWavFiles.Write(dir.File("w.wav"), 16000, 16, false, [400], 0.1), 16000);
        Assert.Throws<ArgumentException>(() => new PromptPlayer(8000).Play(wide));
    }

    [Fact]
    public void Reading_frames_allocates_nothing()
    {
        using var dir = new TempDirectory();
        var (a, b) = TwoPrompts(dir);
        var player = new PromptPlayer(8000);
        player.Completed += _ => { };
        var frame = new short[160];
        player.Play(a, b);
        player.Read(frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 30; i++)
            player.Read(frame);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
