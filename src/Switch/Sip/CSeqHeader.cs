namespace Hotline.Switch.Sip;

/// <summary>CSeq = 1*DIGIT LWS Method (RFC 3261 §20.16); the number is below 2^31.</summary>
public readonly struct CSeqHeader
{
    public uint Number { get; init; }
    public SipMethod Method { get; init; }
    public ByteRange MethodName { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> buf, ByteRange value, out CSeqHeader cseq, out string? error)
    {
        cseq = default;
        var lx = new SipLexer(buf, value);
        lx.SkipLws();
        var start = lx.Position;
        while (!lx.AtEnd && SipChars.IsDigit(lx.Peek)) lx.Position++;
        if (!SipNumber.TryParseUInt(buf[start..lx.Position], out var number) || number > int.MaxValue)
        {
            error = "CSeq: sequence number missing or not below 2^31";
            return false;
        }
        var beforeMethod = lx.Position;
        lx.SkipLws();
        if (lx.Position == beforeMethod)
        {
            error = "CSeq: no space between number and method";
            return false;
        }
        var method = lx.ReadToken();
        lx.SkipLws();
        if (!method.IsPresent || !lx.AtEnd)
        {
            error = "CSeq: method missing or malformed";
            return false;
        }
        cseq = new CSeqHeader { Number = number, Method = SipMethods.Parse(method.Of(buf)), MethodName = method };
        error = null;
        return true;
    }
}
