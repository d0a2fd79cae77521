using System.Text;

namespace Hotline.Media.Sdp;

/// <summary>
/// An SDP session description (RFC 4566): the session lines and its media sections. Parse with
/// <see cref="TryParse"/>, write with <see cref="ToString"/> (CRLF line ends, RFC 4566 §5 order).
/// </summary>
public sealed class SessionDescription
{
    public SessionDescription(SdpOrigin origin, string sessionName = "-")
    {
        Origin = origin;
        SessionName = sessionName;
    }

    public int Version { get; set; }
    public SdpOrigin Origin { get; set; }
    public string SessionName { get; set; }
    public SdpConnection? Connection { get; set; }
    public List<SdpBandwidth> Bandwidths { get; } = [];
    public List<SdpTiming> Timings { get; } = [];
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>i, u, e, p, r, z, k and unknown session-level lines, kept to write back.</summary>
    public List<SdpLine> OtherLines { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    /// <summary>The session-level direction attribute, if any (media sections may override it).</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (var attribute in Attributes)
                if (attribute.Value is null && SdpDirections.TryParse(attribute.Name, out var direction)) return direction;
            return null;
        }
    }

    public static SessionDescription Parse(string text) =>
        TryParse(text, out var sdp, out var error) ? sdp! : throw new SdpParseException(error!);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> names the line and field.</summary>
    public static bool TryParse(string text, out SessionDescription? sdp, out SdpParseError? error) =>
        SdpParser.TryParse(text, out sdp, out error);

    public override string ToString()
    {
        var sdp = new StringBuilder(512);
        sdp.Append("v=").Append(Version).Append("\r\n");
        sdp.Append("o=").Append(Origin).Append("\r\n");
        sdp.Append("s=").Append(SessionName.Length == 0 ? "-" : SessionName).Append("\r\n");
        // RFC 4566 §5 order: i u e p before c, b after it, then t r z, then k.
        foreach (var line in OtherLines.Where(l => l.Type is 'i' or 'u' or 'e' or 'p')) sdp.Append(line).Append("\r\n");
        if (Connection is not null) sdp.Append("c=").Append(Connection).Append("\r\n");
        foreach (var bandwidth in Bandwidths) sdp.Append("b=").Append(bandwidth).Append("\r\n");
        if (Timings.Count == 0) sdp.Append("t=0 0\r\n");
        foreach (var timing in Timings) sdp.Append("t=").Append(timing).Append("\r\n");
        foreach (var line in OtherLines.Where(l => l.Type is not ('i' or 'u' or 'e' or 'p'))) sdp.Append(line).Append("\r\n");
        foreach (var attribute in Attributes) sdp.Append("a=").Append(attribute).Append("\r\n");
        foreach (var media in Media) media.WriteTo(sdp);
        return sdp.ToString();
    }
}
