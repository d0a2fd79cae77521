namespace Hotline.Media.Jitter;

public enum JitterBufferStatus
{
    /// <summary>Nothing to play yet: the buffer is filling (start, after a talk spurt, after a long gap).</summary>
    Buffering,
    /// <summary>A frame was copied out: decode it.</summary>
    Frame,
    /// <summary>No frame for this interval: conceal with the decoder's PLC.</summary>
    Missing,
}

/// <summary>What <see cref="JitterBuffer.Pull"/> produced for one frame interval.</summary>
/// <param name="PayloadLength">Bytes copied into the caller's buffer (Frame only).</param>
/// <param name="SequenceNumber">The frame's sequence number; for Missing, the one that is absent.</param>
/// <param name="Timestamp">The frame's RTP timestamp; for Missing, the expected one.</param>
/// <param name="SequenceConsumed">
/// For Missing: true when the absent packet was given up as lost (it will count as late if it comes);
/// false when the buffer is waiting for it (underrun or growing its depth).
/// </param>
public readonly record struct JitterBufferResult(
    JitterBufferStatus Status, int PayloadLength, ushort SequenceNumber, uint Timestamp,
    byte PayloadType, bool Marker, bool SequenceConsumed)
{
    public static JitterBufferResult Buffering => default;
}

/// <summary>What <see cref="JitterBuffer.Push"/> did with a packet.</summary>
public enum JitterBufferPushResult
{
    Stored,
    /// <summary>Already buffered or already played.</summary>
    Duplicate,
    /// <summary>Its playout time has passed.</summary>
    Late,
    /// <summary>Payload larger than a slot.</summary>
    TooLarge,
    /// <summary>Far outside the window; held back until the next packet confirms the jump.</summary>
    OutOfWindow,
    /// <summary>Stored after starting over (new SSRC, confirmed jump, or a marked jump).</summary>
    Resynced,
}
