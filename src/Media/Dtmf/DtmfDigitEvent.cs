namespace Hotline.Media.Dtmf;

public enum DtmfDigitEventKind
{
    /// <summary>A key went down.</summary>
    Started,
    /// <summary>The key came up (or its end was inferred: a new event began, or the stream went quiet).</summary>
    Ended,
}

/// <summary>A key press, reported once when it starts and once when it ends.</summary>
/// <param name="Digit">The key: 0-9, *, #, A-D.</param>
/// <param name="RtpTimestamp">The RFC 4733 event's timestamp (its start).</param>
/// <param name="Duration">For <see cref="DtmfDigitEventKind.Ended"/>, the duration in timestamp units.</param>
public readonly record struct DtmfDigitEvent(char Digit, DtmfDigitEventKind Kind, uint RtpTimestamp, int Duration);
