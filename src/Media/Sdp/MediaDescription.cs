using System.Globalization;
using System.Text;

namespace Hotline.Media.Sdp;

/// <summary>
/// One m= section (RFC 4566 §5.14) with its c=, b= and a= lines. Attributes are kept in order as written,
/// unknown ones included; the typed members read and write the ones offer/answer cares about.
/// </summary>
public sealed class MediaDescription
{
    public MediaDescription(string media, int port, string protocol, IEnumerable<string> formats)
    {
        Media = media;
        Port = port;
        Protocol = protocol;
        Formats = [.. formats];
    }

    /// <summary>audio, video, text, application, message.</summary>
    public string Media { get; set; }

    /// <summary>Transport port; 0 means the stream is rejected or disabled (RFC 3264 §6).</summary>
    public int Port { get; set; }

    /// <summary>The "/&lt;number of ports&gt;" suffix, rarely used.</summary>
    public int? PortCount { get; set; }

    /// <summary>RTP/AVP, RTP/SAVP, RTP/AVPF, UDP/TLS/RTP/SAVPF...</summary>
    public string Protocol { get; set; }

    /// <summary>Media formats: RTP payload types for RTP profiles.</summary>
    public List<string> Formats { get; }

    public string? Title { get; set; }
    public SdpConnection? Connection { get; set; }
    public List<SdpBandwidth> Bandwidths { get; } = [];
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>k= and unknown lines, written back as they came.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public bool IsAudio => Media.Equals("audio", StringComparison.OrdinalIgnoreCase);

    /// <summary>A profile of plain RTP (RTP/AVP or RTP/AVPF).</summary>
    public bool IsPlainRtp => Protocol.Equals("RTP/AVP", StringComparison.OrdinalIgnoreCase)
        || Protocol.Equals("RTP/AVPF", StringComparison.OrdinalIgnoreCase);

    /// <summary>SRTP profiles (RFC 3711 RTP/SAVP and relatives), which need keys we do not negotiate.</summary>
    public bool IsSecureRtp => Protocol.Contains("SAVP", StringComparison.OrdinalIgnoreCase);

    /// <summary>The RTP payload types among <see cref="Formats"/>, in order.</summary>
    public IEnumerable<int> PayloadTypes
    {
        get
        {
            foreach (var format in Formats)
                if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt) && pt <= 127) yield return pt;
        }
    }

    public string? GetAttribute(string name) => Attributes.FirstOrDefault(a => a.Name == name)?.Value;
    public bool HasAttribute(string name) => Attributes.Any(a => a.Name == name);

    /// <summary>The direction attribute of this section, or null when it has none (the session's applies).</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var attribute in Attributes)
                if (attribute.Value is null && SdpDirections.TryParse(attribute.Name, out var direction)) return direction;
            return null;
        }
        set
        {
            Attributes.RemoveAll(a => a.Value is null && SdpDirections.TryParse(a.Name, out _));
            if (value is { } direction) Attributes.Add(new SdpAttribute(direction.ToAttributeName()));
        }
    }

    /// <summary>a=ptime in milliseconds (RFC 4566 §6), if present.</summary>
    public int? Ptime
    {
        get => ParseMilliseconds(GetAttribute("ptime"));
        set => SetAttribute("ptime", value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>a=maxptime in milliseconds, if present.</summary>
    public int? MaxPtime
    {
        get => ParseMilliseconds(GetAttribute("maxptime"));
        set => SetAttribute("maxptime", value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The rtpmap of every listed payload type that has one.</summary>
    public IEnumerable<SdpRtpMap> RtpMaps
    {
        get
        {
            foreach (var attribute in Attributes)
                if (attribute.Name == "rtpmap" && attribute.Value is { } value && SdpRtpMap.TryParse(value, out var map, out _))
                    yield return map!;
        }
    }

    /// <summary>The rtpmap of <paramref name="payloadType"/>, falling back to the RFC 3551 static table.</summary>
    public SdpRtpMap? GetRtpMap(int payloadType) =>
        RtpMaps.FirstOrDefault(m => m.PayloadType == payloadType) ?? SdpRtpMap.ForStaticPayloadType(payloadType);

    /// <summary>The format parameters of <paramref name="payloadType"/> (a=fmtp), if any.</summary>
    public string? GetFmtp(int payloadType)
    {
        string prefix = payloadType.ToString(CultureInfo.InvariantCulture) + " ";
        foreach (var attribute in Attributes)
            if (attribute.Name == "fmtp" && attribute.Value is { } value && value.StartsWith(prefix, StringComparison.Ordinal))
                return value[prefix.Length..].Trim();
        return null;
    }

    public void AddRtpMap(SdpRtpMap map, string? fmtp = null)
    {
        Attributes.Add(new SdpAttribute("rtpmap", map.ToString()));
        if (fmtp is not null) Attributes.Add(new SdpAttribute("fmtp", $"{map.PayloadType} {fmtp}"));
    }

    /// <summary>The connection that applies: this section's c=, else the session's.</summary>
    public SdpConnection? EffectiveConnection(SessionDescription session) => Connection ?? session.Connection;

    /// <summary>The direction that applies: this section's, else the session's, else sendrecv (RFC 3264 §5.1).</summary>
    public SdpDirection EffectiveDirection(SessionDescription session) => Direction ?? session.Direction ?? SdpDirection.SendRecv;

    private void SetAttribute(string name, string? value)
    {
        int index = Attributes.FindIndex(a => a.Name == name);
        if (value is null)
        {
            if (index >= 0) Attributes.RemoveAt(index);
        }
        else if (index >= 0) Attributes[index] = new SdpAttribute(name, value);
        else Attributes.Add(new SdpAttribute(name, value));
    }

    private static int? ParseMilliseconds(string? value) =>
        value is not null && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int ms) ? ms : null;

    internal void WriteTo(StringBuilder sdp)
    {
        sdp.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is int count) sdp.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        sdp.Append(' ').Append(Protocol);
        foreach (var format in Formats) sdp.Append(' ').Append(format);
        sdp.Append("\r\n");
        if (Title is not null) sdp.Append("i=").Append(Title).Append("\r\n");
        if (Connection is not null) sdp.Append("c=").Append(Connection).Append("\r\n");
        foreach (var bandwidth in Bandwidths) sdp.Append("b=").Append(bandwidth).Append("\r\n");
        foreach (var line in OtherLines) sdp.Append(line).Append("\r\n");
        foreach (var attribute in Attributes) sdp.Append("a=").Append(attribute).Append("\r\n");
    }
}
