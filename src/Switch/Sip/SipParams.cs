namespace Hotline.Switch.Sip;

/// <summary>
/// Walks a run of <c>;name[=value]</c> parameters (generic-param, RFC 3261 §25.1) in a header value.
/// Names compare case-insensitively; values stay raw (quoted strings keep their quotes).
/// </summary>
public ref struct SipParamEnumerator
{
    private SipLexer _lexer;
    private readonly byte _separator;

    public SipParamEnumerator(ReadOnlySpan<byte> buffer, ByteRange range, byte separator = (byte)';')
    {
        _lexer = new SipLexer(buffer, range);
        _separator = separator;
        Name = ByteRange.None;
        Value = ByteRange.None;
        Malformed = false;
    }

    public ByteRange Name { get; private set; }

    /// <summary>The value, or <see cref="ByteRange.None"/> for a parameter without '='.</summary>
    public ByteRange Value { get; private set; }

    /// <summary>Set when the parameters stop making sense (the walk ends there).</summary>
    public bool Malformed { get; private set; }

    public bool MoveNext()
    {
        if (!_lexer.TryConsume(_separator))
        {
            _lexer.SkipLws();
            if (!_lexer.AtEnd) Malformed = true;
            return false;
        }
        Name = _lexer.ReadToken();
        if (!Name.IsPresent)
        {
            Malformed = true;
            return false;
        }
        if (_lexer.TryConsume((byte)'='))
        {
            var value = _lexer.ReadParamValue();
            Value = value.IsPresent ? value : new ByteRange(_lexer.Position, 0);
        }
        else
        {
            Value = ByteRange.None;
        }
        return true;
    }

    /// <summary>Finds the first parameter called <paramref name="name"/>; true when present (with or without value).</summary>
    public static bool TryFind(ReadOnlySpan<byte> buffer, ByteRange range, ReadOnlySpan<byte> name, out ByteRange value, byte separator = (byte)';')
    {
        var e = new SipParamEnumerator(buffer, range, separator);
        while (e.MoveNext())
        {
            if (System.Text.Ascii.EqualsIgnoreCase(e.Name.Of(buffer), name))
            {
                value = e.Value;
                return true;
            }
        }
        value = ByteRange.None;
        return false;
    }
}
