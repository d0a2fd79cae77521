using Hotline.Media.Playback;
using Microsoft.Extensions.Logging;

namespace Hotline.Media.Engine;

/// <summary>What every leg and worker of one engine shares: settings, the clock, prompts and music on hold.</summary>
internal sealed class EngineContext
{
    /// <summary>The engine's clock period: every worker ticks every 20 ms, on the same tick numbers.</summary>
    public static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(20);

    private int _nextLegId;

    public EngineContext(MediaEngineOptions options, TimeProvider time, PromptCache prompts, MusicOnHold music, ILogger logger)
    {
        Options = options;
        Time = time;
        Epoch = time.GetTimestamp();
        Prompts = prompts;
        Music = music;
        Logger = logger;
    }

    public MediaEngineOptions Options { get; }
    public TimeProvider Time { get; }

    /// <summary>Clock reading all monotonic times (<see cref="Now"/>) count from.</summary>
    public long Epoch { get; }

    public PromptCache Prompts { get; }
    public MusicOnHold Music { get; }
    public ILogger Logger { get; }

    /// <summary>Monotonic time since the engine started.</summary>
    public TimeSpan Now => Time.GetElapsedTime(Epoch);

    /// <summary>Wall-clock time, for RTCP's NTP timestamps.</summary>
    public DateTimeOffset WallClock => Time.GetUtcNow();

    /// <summary>
    /// The engine tick a moment falls in. Every worker numbers ticks the same way, so a shared
    /// music-on-hold stream gives all of them the same frame for the same tick.
    /// </summary>
    public static long TickOf(TimeSpan time) => time.Ticks / TickPeriod.Ticks;

    public int NextLegId() => Interlocked.Increment(ref _nextLegId);

    /// <summary>Jitter-buffer depth bounds in packets of <paramref name="packetMilliseconds"/>.</summary>
    public (int Min, int Max) JitterDepth(int packetMilliseconds)
    {
        int min = Math.Max(1, (int)Math.Ceiling(Options.JitterBufferMin.TotalMilliseconds / packetMilliseconds));
        int max = Math.Max(min, (int)Math.Ceiling(Options.JitterBufferMax.TotalMilliseconds / packetMilliseconds));
        return (min, max);
    }
}
