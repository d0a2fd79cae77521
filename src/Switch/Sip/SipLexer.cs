namespace Hotline.Switch.Sip;

/// <summary>
/// Reads the pieces of one header value (tokens, quoted strings, separators with the LWS that
/// RFC 3261 §25.1 allows around them) from the message buffer. Positions are absolute offsets in
/// the buffer, so everything it returns is a <see cref="ByteRange"/> of the message.
/// </summary>
internal ref struct SipLexer
{
    private readonly ReadOnlySpan<byte> _buf;
    private readonly int _end;
    public int Position;

    public SipLexer(ReadOnlySpan<byte> buffer, ByteRange value)
    {
        _buf = buffer;
        Position = value.Start;
        _end = value.End;
    }

    public readonly int End => _end;

    public readonly bool AtEnd => Position >= _end;

    public readonly byte Peek => Position < _end ? _buf[Position] : (byte)0;

    public void SkipLws()
    {
        while (Position < _end && SipChars.IsLws(_buf[Position])) Position++;
    }

    /// <summary>Consumes <paramref name="c"/> with optional LWS on both sides (SWS c SWS).</summary>
    public bool TryConsume(byte c)
    {
        var save = Position;
        SkipLws();
        if (Position < _end && _buf[Position] == c)
        {
            Position++;
            SkipLws();
            return true;
        }
        Position = save;
        return false;
    }

    public ByteRange ReadToken()
    {
        var start = Position;
        while (Position < _end && SipChars.IsToken(_buf[Position])) Position++;
        return Position > start ? ByteRange.FromBounds(start, Position) : ByteRange.None;
    }

    /// <summary>Reads up to (not including) LWS or any of <paramref name="stops"/>.</summary>
    public ByteRange ReadUntil(ReadOnlySpan<byte> stops)
    {
        var start = Position;
        while (Position < _end)
        {
            var b = _buf[Position];
            if (SipChars.IsLws(b) || stops.Contains(b)) break;
            Position++;
        }
        return Position > start ? ByteRange.FromBounds(start, Position) : ByteRange.None;
    }

    /// <summary>
    /// Reads a quoted-string starting at the current DQUOTE; <paramref name="inner"/> excludes the quotes
    /// and still holds any quoted-pair escapes. False when the closing quote is missing.
    /// </summary>
    public bool TryReadQuoted(out ByteRange inner)
    {
        inner = ByteRange.None;
        if (Peek != (byte)'"') return false;
        var start = ++Position;
        while (Position < _end)
        {
            var b = _buf[Position];
            if (b == (byte)'\\')
            {
                if (Position + 1 >= _end) return false;
                Position += 2;
                continue;
            }
            if (b == (byte)'"')
            {
                inner = ByteRange.FromBounds(start, Position);
                Position++;
                return true;
            }
            Position++;
        }
        return false;
    }

    /// <summary>
    /// Reads a parameter value: a quoted-string (kept with its quotes) or a run of characters up to
    /// ';', ',' , '?' , '>' or LWS. IPv6 references in brackets are read whole.
    /// </summary>
    public ByteRange ReadParamValue()
    {
        if (Peek == (byte)'"')
        {
            var start = Position;
            return TryReadQuoted(out _) ? ByteRange.FromBounds(start, Position) : ByteRange.None;
        }
        if (Peek == (byte)'[')
        {
            var start = Position;
            while (Position < _end && _buf[Position] != (byte)']') Position++;
            if (Position < _end) Position++;
            return ByteRange.FromBounds(start, Position);
        }
        return ReadUntil(";,?>"u8);
    }
}
