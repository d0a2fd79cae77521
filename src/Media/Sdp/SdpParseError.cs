namespace Hotline.Media.Sdp;

/// <summary>Where and why an SDP body could not be parsed: the 1-based line, the field, and what was wrong.</summary>
public sealed record SdpParseError(int Line, string Field, string Message)
{
    public override string ToString() => $"SDP line {Line}, {Field}: {Message}";
}

/// <summary>Thrown by <see cref="SessionDescription.Parse"/>; <see cref="SessionDescription.TryParse"/> does not throw.</summary>
public sealed class SdpParseException(SdpParseError error) : FormatException(error.ToString())
{
    public SdpParseError Error { get; } = error;
}
