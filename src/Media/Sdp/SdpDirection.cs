namespace Hotline.Media.Sdp;

/// <summary>Media direction attributes (RFC 4566 §6, RFC 3264 §5.1), from the point of view of whoever wrote them.</summary>
[Flags]
public enum SdpDirection
{
    Inactive = 0,
    SendOnly = 1,
    RecvOnly = 2,
    SendRecv = SendOnly | RecvOnly,
}

public static class SdpDirections
{
    public static bool Sends(this SdpDirection direction) => (direction & SdpDirection.SendOnly) != 0;
    public static bool Receives(this SdpDirection direction) => (direction & SdpDirection.RecvOnly) != 0;

    /// <summary>The same stream seen from the other end: the peer's sendonly is our recvonly (RFC 3264 §6.1).</summary>
    public static SdpDirection Reverse(this SdpDirection direction) =>
        (direction.Sends() ? SdpDirection.RecvOnly : 0) | (direction.Receives() ? SdpDirection.SendOnly : 0);

    /// <summary>What both allow.</summary>
    public static SdpDirection Intersect(this SdpDirection a, SdpDirection b) => a & b;

    public static string ToAttributeName(this SdpDirection direction) => direction switch
    {
        SdpDirection.SendRecv => "sendrecv",
        SdpDirection.SendOnly => "sendonly",
        SdpDirection.RecvOnly => "recvonly",
        _ => "inactive",
    };

    public static bool TryParse(string name, out SdpDirection direction)
    {
        switch (name)
        {
            case "sendrecv": direction = SdpDirection.SendRecv; return true;
            case "sendonly": direction = SdpDirection.SendOnly; return true;
            case "recvonly": direction = SdpDirection.RecvOnly; return true;
            case "inactive": direction = SdpDirection.Inactive; return true;
            default: direction = SdpDirection.SendRecv; return false;
        }
    }
}
