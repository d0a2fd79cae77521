namespace Hotline.Switch.Sip;

internal static class SipNumber
{
    /// <summary>Parses 1*DIGIT (leading zeros allowed, RFC 4475 §3.1.1.1) into a non-negative int; false on overflow.</summary>
    public static bool TryParseInt(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        long v = 0;
        foreach (var b in digits)
        {
            if (!SipChars.IsDigit(b)) return false;
            v = v * 10 + (b - '0');
            if (v > int.MaxValue) return false;
        }
        value = (int)v;
        return true;
    }

    /// <summary>Parses 1*DIGIT into a uint, false past 2^32−1.</summary>
    public static bool TryParseUInt(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty) return false;
        ulong v = 0;
        foreach (var b in digits)
        {
            if (!SipChars.IsDigit(b)) return false;
            v = v * 10 + (uint)(b - '0');
            if (v > uint.MaxValue) return false;
        }
        value = (uint)v;
        return true;
    }
}
