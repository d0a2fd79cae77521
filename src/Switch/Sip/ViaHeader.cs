namespace Hotline.Switch.Sip;

/// <summary>
/// One via-parm (RFC 3261 §20.42, §25.1): sent-protocol, sent-by and the parameters the
/// transaction and transport layers use. Ranges point into the message buffer.
/// </summary>
public readonly struct ViaHeader
{
    /// <summary>RFC 3261 §8.1.1.7: branches that start with this cookie are unique per transaction.</summary>
    public static ReadOnlySpan<byte> MagicCookie => "z9hG4bK"u8;

    public ByteRange Value { get; init; }
    public ByteRange Transport { get; init; }
    /// <summary>Host as written, IPv6 references with their brackets (RFC 5118).</summary>
    public ByteRange Host { get; init; }
    /// <summary>Port from sent-by, or 0 when absent.</summary>
    public int Port { get; init; }
    public ByteRange Branch { get; init; }
    public ByteRange Received { get; init; }
    public ByteRange Maddr { get; init; }
    /// <summary>−1: no rport; 0: rport without value (RFC 3581 request); otherwise the value.</summary>
    public int RPort { get; init; }
    /// <summary>Where the parameters start (the first ';'), for reading any other parameter.</summary>
    public ByteRange Parameters { get; init; }

    /// <summary>Parses one via-parm; on failure <paramref name="error"/> names what is wrong.</summary>
    public static bool TryParse(ReadOnlySpan<byte> buf, ByteRange value, out ViaHeader via, out string? error)
    {
        via = default;
        var lx = new SipLexer(buf, value);
        lx.SkipLws();
        var protocol = lx.ReadToken();
        if (!protocol.IsPresent || !System.Text.Ascii.EqualsIgnoreCase(protocol.Of(buf), "SIP"u8) || !lx.TryConsume((byte)'/'))
        {
            error = "Via: sent-protocol is not SIP/2.0/<transport>";
            return false;
        }
        var version = lx.ReadToken();
        if (!version.IsPresent || !version.Of(buf).SequenceEqual("2.0"u8) || !lx.TryConsume((byte)'/'))
        {
            error = "Via: protocol version is not 2.0";
            return false;
        }
        var transport = lx.ReadToken();
        if (!transport.IsPresent)
        {
            error = "Via: transport missing";
            return false;
        }
        lx.SkipLws();
        if (!SipHost.TryRead(ref lx, buf, out var host))
        {
            error = "Via: sent-by host is invalid";
            return false;
        }
        var port = 0;
        if (lx.TryConsume((byte)':'))
        {
            if (!SipHost.TryReadPort(ref lx, buf, out port))
            {
                error = "Via: sent-by port is invalid";
                return false;
            }
        }
        lx.SkipLws();
        var paramsStart = lx.Position;
        var parameters = ByteRange.FromBounds(paramsStart, value.End);
        ByteRange branch = ByteRange.None, received = ByteRange.None, maddr = ByteRange.None;
        var rport = -1;
        var e = new SipParamEnumerator(buf, parameters);
        while (e.MoveNext())
        {
            var name = e.Name.Of(buf);
            if (System.Text.Ascii.EqualsIgnoreCase(name, "branch"u8)) branch = e.Value;
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "received"u8)) received = e.Value;
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "maddr"u8)) maddr = e.Value;
            else if (System.Text.Ascii.EqualsIgnoreCase(name, "rport"u8))
            {
                rport = 0;
                if (e.Value.Length > 0 && !(SipNumber.TryParseInt(e.Value.Of(buf), out rport) && rport is > 0 and <= 65535))
                {
                    error = "Via: rport value is invalid";
                    return false;
                }
            }
        }
        if (e.Malformed)
        {
            error = "Via: malformed parameters";
            return false;
        }
        if (branch.IsPresent && branch.Length == 0)
        {
            error = "Via: empty branch parameter";
            return false;
        }
        via = new ViaHeader
        {
            Value = value, Transport = transport, Host = host, Port = port, Branch = branch,
            Received = received, Maddr = maddr, RPort = rport, Parameters = parameters,
        };
        error = null;
        return true;
    }
}
