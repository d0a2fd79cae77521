namespace Hotline.Media.Jitter;

/// <summary>Sizes and limits of a <see cref="JitterBuffer"/>; depths are in frames (packets of one ptime).</summary>
public sealed record JitterBufferOptions
{
    /// <summary>Slots for packets; a power of two. Bounds reordering and depth.</summary>
    public int Capacity { get; init; } = 32;

    /// <summary>Largest payload a slot holds (Opus at 20 ms stays well under 1275 bytes).</summary>
    public int MaxPayloadSize { get; init; } = 1280;

    /// <summary>
    /// Payload bytes each slot holds at first (0: <see cref="MaxPayloadSize"/>); the slots widen up to
    /// MaxPayloadSize when a longer packet arrives. Size it for the negotiated packet time.
    /// </summary>
    public int InitialPayloadSize { get; init; }

    /// <summary>RTP timestamp rate of the stream.</summary>
    public int ClockRate { get; init; } = 8000;

    /// <summary>Media time in one packet (the negotiated ptime) and the interval of Pull calls.</summary>
    public TimeSpan FrameDuration { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Playout depth with no jitter at all.</summary>
    public int MinDepth { get; init; } = 2;

    /// <summary>Deepest the buffer lets itself grow; older frames are dropped beyond it.</summary>
    public int MaxDepth { get; init; } = 15;

    /// <summary>Frames concealed in a row with nothing left to play before the buffer starts filling again.</summary>
    public int MaxConcealedFrames { get; init; } = 10;

    internal void Validate()
    {
        if (Capacity < 4 || (Capacity & (Capacity - 1)) != 0) throw new ArgumentException("Capacity must be a power of two, at least 4", nameof(Capacity));
        if (MaxPayloadSize < 1) throw new ArgumentException("MaxPayloadSize must be positive", nameof(MaxPayloadSize));
        if (InitialPayloadSize < 0) throw new ArgumentException("InitialPayloadSize must not be negative", nameof(InitialPayloadSize));
        if (ClockRate < 1) throw new ArgumentException("ClockRate must be positive", nameof(ClockRate));
        if (FrameDuration <= TimeSpan.Zero) throw new ArgumentException("FrameDuration must be positive", nameof(FrameDuration));
        if (MinDepth < 1 || MaxDepth < MinDepth) throw new ArgumentException("need 1 <= MinDepth <= MaxDepth", nameof(MinDepth));
        if (MaxDepth >= Capacity) throw new ArgumentException("MaxDepth must be below Capacity", nameof(MaxDepth));
        if (MaxConcealedFrames < 0) throw new ArgumentException("MaxConcealedFrames must not be negative", nameof(MaxConcealedFrames));
    }
}
