namespace Hotline.Media.Recording;

/// <summary>Settings of the one background writer shared by all recordings.</summary>
public sealed record RecordingWriterOptions
{
    /// <summary>
    /// Frames waiting for the disk, over all recordings, past which new frames are dropped and
    /// counted rather than queued. The default is about one second of 1,000 simultaneous
    /// recordings (1,000 × 50 frames); at 16 kHz stereo that bounds the backlog to 64 MB.
    /// </summary>
    public int MaxBacklogFrames { get; init; } = 50_000;

    /// <summary>How often an open recording's RIFF and data sizes are rewritten, so the file stays playable while it grows.</summary>
    public TimeSpan HeaderUpdateInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the writer sleeps between passes over the queue when nobody wakes it. Frames are
    /// written in batches; the media threads never signal per frame.
    /// </summary>
    public TimeSpan DrainInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Opens the file a recording is written to. The default creates the directory and a
    /// FileStream that readers may open while it is written. Tests substitute slow or failing streams.
    /// </summary>
    public Func<string, Stream>? OpenStream { get; init; }

    /// <summary>
    /// Linux nice value of the writer thread (0 leaves it as the process is). The engine gives it the media
    /// workers' <see cref="Engine.MediaEngineOptions.WorkerNice"/>: a writer left behind workers that win the
    /// cores falls behind them, and its backlog ends in dropped frames.
    /// </summary>
    public int ThreadNice { get; init; }
}
