namespace Hotline.Switch.Sip;

/// <summary>Character classes of the RFC 3261 §25 grammar, as 128-entry lookup tables.</summary>
internal static class SipChars
{
    private static readonly bool[] s_token = Build("-.!%*_+`'~");
    // "word" (Call-ID) adds grouping and separator characters that carry no meaning there.
    private static readonly bool[] s_word = Build("-.!%*_+`'~()<>:\\\"/[]?{}");

    private static bool[] Build(string extra)
    {
        var t = new bool[128];
        for (var c = '0'; c <= '9'; c++) t[c] = true;
        for (var c = 'a'; c <= 'z'; c++) t[c] = true;
        for (var c = 'A'; c <= 'Z'; c++) t[c] = true;
        foreach (var c in extra) t[c] = true;
        return t;
    }

    public static bool IsToken(byte b) => b < 128 && s_token[b];

    public static bool IsWord(byte b) => b < 128 && s_word[b];

    /// <summary>Linear white space inside a header value: SP, HTAB, and the CRLF of a folded line.</summary>
    public static bool IsLws(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    public static bool IsAlpha(byte b) => (uint)((b | 0x20) - 'a') <= 'z' - 'a';
}
