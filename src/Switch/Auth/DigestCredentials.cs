using Hotline.Switch.Sip;

namespace Hotline.Switch.Auth;

/// <summary>The parameters of an Authorization or Proxy-Authorization header (RFC 7616 §3.4, RFC 3261 §22.4).</summary>
public sealed class DigestCredentials
{
    public string Scheme { get; private init; } = "";
    public string? Username { get; private init; }
    public string? Realm { get; private init; }
    public string? Nonce { get; private init; }
    public string? Uri { get; private init; }
    public string? Response { get; private init; }
    public string? Algorithm { get; private init; }
    public string? Cnonce { get; private init; }
    public string? Qop { get; private init; }
    public string? Nc { get; private init; }
    public string? Opaque { get; private init; }

    public bool IsDigest => Scheme.Equals("Digest", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses one credentials value; null when it is not even "scheme params".</summary>
    public static DigestCredentials? Parse(SipMessage message, ByteRange value)
    {
        var buf = message.Bytes;
        var lx = new SipLexer(buf, value);
        lx.SkipLws();
        var scheme = lx.ReadToken();
        if (!scheme.IsPresent) return null;
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var e = new SipParamEnumerator(buf, ByteRange.FromBounds(lx.Position, value.End), (byte)',');
        // The first auth-param is separated from the scheme by white space, not a comma.
        var first = new SipLexer(buf, ByteRange.FromBounds(lx.Position, value.End));
        first.SkipLws();
        var firstName = first.ReadToken();
        if (firstName.IsPresent && first.TryConsume((byte)'='))
        {
            var v = first.ReadParamValue();
            values[message.Text(firstName)] = v.IsPresent ? SipText.ParamValue(v.Of(buf)) : "";
            e = new SipParamEnumerator(buf, ByteRange.FromBounds(first.Position, value.End), (byte)',');
        }
        while (e.MoveNext())
        {
            values[message.Text(e.Name)] = e.Value.IsPresent ? SipText.ParamValue(e.Value.Of(buf)) : "";
        }
        string? Get(string k) => values.TryGetValue(k, out var v) ? v : null;
        return new DigestCredentials
        {
            Scheme = message.Text(scheme), Username = Get("username"), Realm = Get("realm"), Nonce = Get("nonce"),
            Uri = Get("uri"), Response = Get("response"), Algorithm = Get("algorithm"), Cnonce = Get("cnonce"),
            Qop = Get("qop"), Nc = Get("nc"), Opaque = Get("opaque"),
        };
    }
}
