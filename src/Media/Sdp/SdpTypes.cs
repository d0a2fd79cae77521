using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Hotline.Media.Sdp;

/// <summary>o= (RFC 4566 §5.2).</summary>
public sealed record SdpOrigin(string UserName, string SessionId, string SessionVersion, string NetworkType, string AddressType, string Address)
{
    public override string ToString() => $"{UserName} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}

/// <summary>c= (RFC 4566 §5.7): network type IN, address type IP4 or IP6, and the address.</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static SdpConnection For(IPAddress address) =>
        new("IN", address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4", address.ToString());

    /// <summary>The unicast address, or null for a multicast TTL form or a name we do not resolve.</summary>
    public IPAddress? IPAddress
    {
        get
        {
            string address = Address;
            int slash = address.IndexOf('/');
            if (slash >= 0) address = address[..slash];
            return IPAddress.TryParse(address, out var ip) ? ip : null;
        }
    }

    /// <summary>The RFC 2543 way of putting a call on hold: an unspecified address (RFC 3264 §8.4).</summary>
    public bool IsHoldAddress => IPAddress is { } ip && (ip.Equals(System.Net.IPAddress.Any) || ip.Equals(System.Net.IPAddress.IPv6Any));

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}

/// <summary>b= (RFC 4566 §5.8), e.g. AS:64 or TIAS:64000.</summary>
public sealed record SdpBandwidth(string Type, long Value)
{
    public override string ToString() => $"{Type}:{Value.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>t= (RFC 4566 §5.9); 0 0 for a session without bounds, as SIP uses.</summary>
public sealed record SdpTiming(ulong Start, ulong Stop)
{
    public override string ToString() => $"{Start} {Stop}";
}

/// <summary>a= (RFC 4566 §5.13): a property (<c>a=sendrecv</c>, Value null) or a name:value pair.</summary>
public sealed record SdpAttribute(string Name, string? Value = null)
{
    public override string ToString() => Value is null ? Name : $"{Name}:{Value}";
}

/// <summary>A line we keep without interpreting (i, u, e, p, r, z, k, or an unknown type), to write it back.</summary>
public sealed record SdpLine(char Type, string Value)
{
    public override string ToString() => $"{Type}={Value}";
}

/// <summary>a=rtpmap (RFC 4566 §6): payload type, encoding name, clock rate, channels.</summary>
public sealed record SdpRtpMap(int PayloadType, string EncodingName, int ClockRate, int Channels = 1)
{
    /// <summary>RFC 3551 static payload types, used when an offer lists one without an rtpmap.</summary>
    public static SdpRtpMap? ForStaticPayloadType(int payloadType) => payloadType switch
    {
        0 => new(0, "PCMU", 8000),
        3 => new(3, "GSM", 8000),
        4 => new(4, "G723", 8000),
        8 => new(8, "PCMA", 8000),
        9 => new(9, "G722", 8000),
        13 => new(13, "CN", 8000),
        18 => new(18, "G729", 8000),
        _ => null,
    };

    internal static bool TryParse(string value, out SdpRtpMap? map, out string? error)
    {
        map = null;
        // "<payload type> <encoding name>/<clock rate>[/<encoding parameters>]"
        int space = value.IndexOf(' ');
        if (space <= 0 || !int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
            return Fail(out error, $"payload type in '{value}' is not 0-127");
        string[] parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
            return Fail(out error, $"'{value}' is not '<pt> <name>/<rate>[/<channels>]'");
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int rate) || rate == 0)
            return Fail(out error, $"clock rate '{parts[1]}' is not a positive number");
        int channels = 1;
        if (parts.Length == 3 && (!int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels) || channels == 0))
            return Fail(out error, $"channels '{parts[2]}' is not a positive number");
        map = new SdpRtpMap(pt, parts[0], rate, channels);
        error = null;
        return true;
    }

    private static bool Fail(out string? error, string message)
    {
        error = message;
        return false;
    }

    public override string ToString() =>
        Channels == 1 ? $"{PayloadType} {EncodingName}/{ClockRate}" : $"{PayloadType} {EncodingName}/{ClockRate}/{Channels}";
}
