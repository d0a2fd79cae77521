using System.Globalization;

namespace Hotline.Media.Sdp;

/// <summary>
/// Line-by-line SDP parser (RFC 4566 §5). Strict where a wrong value would mislead negotiation (ports,
/// addresses, rtpmap, ptime) and lenient where real devices differ harmlessly (LF-only line ends, blank
/// lines, missing t=, line order). Every error names the line and the field.
/// </summary>
internal static class SdpParser
{
    public static bool TryParse(string text, out SessionDescription? sdp, out SdpParseError? error)
    {
        sdp = null;
        error = null;
        SessionDescription? session = null;
        string[] lines = text.Split('\n');
        MediaDescription? media = null;
        bool sawVersion = false;
        int version = 0;

        for (int i = 0; i < lines.Length; i++)
        {
            int number = i + 1;
            string line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
                return Fail(out error, number, "line", $"'{Truncate(line)}' is not '<type>=<value>'");
            char type = line[0];
            string value = line[2..];

            if (!sawVersion)
            {
                if (type != 'v') return Fail(out error, number, "v=", "an SDP body starts with v=");
                if (value.Trim() != "0") return Fail(out error, number, "v=", $"version '{value}' is not 0");
                sawVersion = true;
                continue;
            }

            switch (type)
            {
                case 'v':
                    return Fail(out error, number, "v=", "v= appears twice");
                case 'o':
                    if (!TryOrigin(value, number, out var origin, out error)) return false;
                    if (session is not null) return Fail(out error, number, "o=", "o= appears twice");
                    session = new SessionDescription(origin!) { Version = version };
                    break;
                case 's':
                    if (Session(number, out error) is not { } s0) return false;
                    s0.SessionName = value.Trim();
                    break;
                case 'c':
                    if (!TryConnection(value, number, out var connection, out error)) return false;
                    if (media is not null) media.Connection = connection;
                    else if (Session(number, out error) is { } s1) s1.Connection = connection;
                    else return false;
                    break;
                case 'b':
                    if (!TryBandwidth(value, number, out var bandwidth, out error)) return false;
                    if (media is not null) media.Bandwidths.Add(bandwidth!);
                    else if (Session(number, out error) is { } s2) s2.Bandwidths.Add(bandwidth!);
                    else return false;
                    break;
                case 't':
                    if (!TryTiming(value, number, out var timing, out error)) return false;
                    if (Session(number, out error) is { } s3) s3.Timings.Add(timing!);
                    else return false;
                    break;
                case 'm':
                    if (Session(number, out error) is not { } s4) return false;
                    if (!TryMedia(value, number, out media, out error)) return false;
                    s4.Media.Add(media!);
                    break;
                case 'a':
                    if (!TryAttribute(value, number, out var attribute, out error)) return false;
                    if (media is not null) media.Attributes.Add(attribute!);
                    else if (Session(number, out error) is { } s5) s5.Attributes.Add(attribute!);
                    else return false;
                    break;
                case 'i' when media is not null:
                    media.Title = value;
                    break;
                default:
                    if (media is not null) media.OtherLines.Add(new SdpLine(type, value));
                    else if (Session(number, out error) is { } s6) s6.OtherLines.Add(new SdpLine(type, value));
                    else return false;
                    break;
            }
        }

        if (!sawVersion) return Fail(out error, 1, "v=", "empty SDP body");
        if (session is null) return Fail(out error, lines.Length, "o=", "no o= line");
        sdp = session;
        return true;

        SessionDescription? Session(int number, out SdpParseError? sessionError)
        {
            sessionError = session is null ? new SdpParseError(number, "o=", "o= must come before this line") : null;
            return session;
        }
    }

    private static bool TryOrigin(string value, int number, out SdpOrigin? origin, out SdpParseError? error)
    {
        origin = null;
        string[] f = Fields(value);
        if (f.Length != 6)
            return Fail(out error, number, "o=", $"expected 6 fields (username sess-id sess-version nettype addrtype address), found {f.Length}");
        if (!IsDigits(f[1])) return Fail(out error, number, "o= sess-id", $"'{f[1]}' is not a number");
        if (!IsDigits(f[2])) return Fail(out error, number, "o= sess-version", $"'{f[2]}' is not a number");
        origin = new SdpOrigin(f[0], f[1], f[2], f[3], f[4], f[5]);
        error = null;
        return true;
    }

    private static bool TryConnection(string value, int number, out SdpConnection? connection, out SdpParseError? error)
    {
        connection = null;
        string[] f = Fields(value);
        if (f.Length != 3) return Fail(out error, number, "c=", $"expected 'IN IP4|IP6 <address>', found {f.Length} fields");
        if (f[0] != "IN") return Fail(out error, number, "c= nettype", $"'{f[0]}' is not IN");
        if (f[1] is not ("IP4" or "IP6")) return Fail(out error, number, "c= addrtype", $"'{f[1]}' is not IP4 or IP6");
        connection = new SdpConnection(f[0], f[1], f[2]);
        // A literal address must match its declared family; host names are allowed by RFC 4566 and left alone.
        string address = f[2].Split('/')[0];
        bool looksNumeric = address.Length > 0 && (char.IsDigit(address[0]) || address.Contains(':'));
        if (looksNumeric)
        {
            var ip = connection.IPAddress;
            bool ok = ip is not null && (f[1] == "IP4"
                ? ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                : ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);
            if (!ok) return Fail(out error, number, "c= address", $"'{f[2]}' is not an {f[1]} address");
        }
        error = null;
        return true;
    }

    private static bool TryBandwidth(string value, int number, out SdpBandwidth? bandwidth, out SdpParseError? error)
    {
        bandwidth = null;
        int colon = value.IndexOf(':');
        if (colon <= 0) return Fail(out error, number, "b=", $"'{value}' is not '<bwtype>:<bandwidth>'");
        if (!long.TryParse(value.AsSpan(colon + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long amount))
            return Fail(out error, number, "b= bandwidth", $"'{value[(colon + 1)..]}' is not a number");
        bandwidth = new SdpBandwidth(value[..colon], amount);
        error = null;
        return true;
    }

    private static bool TryTiming(string value, int number, out SdpTiming? timing, out SdpParseError? error)
    {
        timing = null;
        string[] f = Fields(value);
        if (f.Length != 2 || !ulong.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)
            || !ulong.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong stop))
            return Fail(out error, number, "t=", $"'{value}' is not '<start> <stop>'");
        timing = new SdpTiming(start, stop);
        error = null;
        return true;
    }

    private static bool TryMedia(string value, int number, out MediaDescription? media, out SdpParseError? error)
    {
        media = null;
        string[] f = Fields(value);
        if (f.Length < 4) return Fail(out error, number, "m=", $"expected '<media> <port> <proto> <fmt> ...', found {f.Length} fields");
        string portText = f[1];
        int? portCount = null;
        int slash = portText.IndexOf('/');
        if (slash >= 0)
        {
            if (!int.TryParse(portText.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count == 0)
                return Fail(out error, number, "m= port", $"port count in '{portText}' is not a positive number");
            portCount = count;
            portText = portText[..slash];
        }
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
            return Fail(out error, number, "m= port", $"'{portText}' is not a port number");
        media = new MediaDescription(f[0], port, f[2], f[3..]) { PortCount = portCount };
        if (media.Protocol.StartsWith("RTP/", StringComparison.OrdinalIgnoreCase) || media.Protocol.Contains("/RTP/", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var format in media.Formats)
                if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) || pt > 127)
                    return Fail(out error, number, "m= fmt", $"'{format}' is not an RTP payload type (0-127)");
        }
        error = null;
        return true;
    }

    private static bool TryAttribute(string value, int number, out SdpAttribute? attribute, out SdpParseError? error)
    {
        attribute = null;
        int colon = value.IndexOf(':');
        string name = colon < 0 ? value.Trim() : value[..colon];
        string? attributeValue = colon < 0 ? null : value[(colon + 1)..];
        if (name.Length == 0 || name.Contains(' ')) return Fail(out error, number, "a=", $"'{Truncate(value)}' has no attribute name");
        switch (name)
        {
            case "rtpmap":
                if (!SdpRtpMap.TryParse(attributeValue ?? "", out _, out var message)) return Fail(out error, number, "a=rtpmap", message!);
                break;
            case "fmtp":
                int space = attributeValue?.IndexOf(' ') ?? -1;
                string format = space < 0 ? attributeValue ?? "" : attributeValue![..space];
                if (!IsDigits(format)) return Fail(out error, number, "a=fmtp", $"'{attributeValue}' does not start with a payload type");
                break;
            case "ptime":
            case "maxptime":
                if (attributeValue is null || !int.TryParse(attributeValue.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) || ms == 0)
                    return Fail(out error, number, $"a={name}", $"'{attributeValue}' is not a number of milliseconds");
                break;
            case "rtcp":
                string portText = attributeValue?.Trim().Split(' ')[0] ?? "";
                if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int rtcpPort) || rtcpPort > 65535)
                    return Fail(out error, number, "a=rtcp", $"'{attributeValue}' does not start with a port");
                break;
        }
        attribute = new SdpAttribute(name, attributeValue);
        error = null;
        return true;
    }

    private static string[] Fields(string value) => value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsDigits(string value) => value.Length > 0 && value.All(char.IsAsciiDigit);

    private static string Truncate(string line) => line.Length <= 40 ? line : line[..40] + "...";

    private static bool Fail(out SdpParseError? error, int line, string field, string message)
    {
        error = new SdpParseError(line, field, message);
        return false;
    }
}
