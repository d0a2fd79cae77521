namespace Hotline.Switch.Tests;

/// <summary>The "Media" configuration section: values map onto the engine's options, bad ones are refused naming the key.</summary>
public sealed class MediaSettingsTests
{
    [Fact]
    public void The_catch_up_limit_and_nice_value_reach_the_engine()
    {
        var options = new MediaSettings { MaxTickCatchUpMs = 800, WorkerNice = -5 }.ToEngineOptions(new SipOptions(), "/tmp/data");

        Assert.Equal(TimeSpan.FromMilliseconds(800), options.MaxTickCatchUp);
        Assert.Equal(-5, options.WorkerNice);
        Assert.Equal(TimeSpan.FromMilliseconds(500), new MediaSettings().ToEngineOptions(new SipOptions(), "/tmp/data").MaxTickCatchUp);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(2001)]
    public void A_catch_up_limit_outside_0_to_2000_ms_is_refused_naming_the_key(int milliseconds)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new MediaSettings { MaxTickCatchUpMs = milliseconds }.ToEngineOptions(new SipOptions(), "/tmp/data"));
        Assert.Contains("Media:MaxTickCatchUpMs", error.Message);
    }

    [Fact]
    public void The_collection_pacer_is_on_by_default_and_off_at_0()
    {
        using var pacer = new MediaSettings().CollectionPacer();
        Assert.NotNull(pacer);
        Assert.Equal(TimeSpan.FromMilliseconds(25), pacer.Interval);
        Assert.Equal(256 * 1024, pacer.Bytes);
        Assert.Null(new MediaSettings { GcPaceMs = 0 }.CollectionPacer());
    }

    [Theory]
    [InlineData(5, 256, "Media:GcPaceMs")]
    [InlineData(1001, 256, "Media:GcPaceMs")]
    [InlineData(25, 32, "Media:GcPaceKb")]
    [InlineData(25, 65537, "Media:GcPaceKb")]
    public void A_pacer_setting_out_of_range_is_refused_naming_the_key(int milliseconds, int kilobytes, string key)
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MediaSettings { GcPaceMs = milliseconds, GcPaceKb = kilobytes }.CollectionPacer());
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public void The_pacer_runs_at_the_media_workers_nice_value_and_a_bad_one_is_named()
    {
        using var pacer = new MediaSettings { WorkerNice = -10 }.CollectionPacer();
        Assert.Equal(-10, pacer!.Nice);
        var error = Assert.Throws<InvalidOperationException>(() => new MediaSettings { WorkerNice = 20 }.CollectionPacer());
        Assert.Contains("Media:WorkerNice", error.Message);
    }
}
