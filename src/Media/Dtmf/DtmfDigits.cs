namespace Hotline.Media.Dtmf;

/// <summary>
/// The 16 DTMF keys: RFC 4733 §3.2 event codes (0-9, * = 10, # = 11, A-D = 12-15) and the ITU-T Q.23
/// frequency pairs (low "row" group, high "column" group).
/// </summary>
public static class DtmfDigits
{
    private const string Keys = "0123456789*#ABCD";

    /// <summary>Row (low group) frequencies in Hz, Q.23.</summary>
    public static ReadOnlySpan<int> RowFrequencies => [697, 770, 852, 941];

    /// <summary>Column (high group) frequencies in Hz, Q.23.</summary>
    public static ReadOnlySpan<int> ColumnFrequencies => [1209, 1336, 1477, 1633];

    // Keypad layout: row-major, so keypad[row * 4 + column] is the key.
    private const string Keypad = "123A456B789C*0#D";

    public static bool IsDigit(char key) => Keys.Contains(char.ToUpperInvariant(key));

    /// <summary>RFC 4733 event code of <paramref name="key"/>, or -1 when it is not a DTMF key.</summary>
    public static int ToEventCode(char key) => Keys.IndexOf(char.ToUpperInvariant(key));

    /// <summary>The key for an RFC 4733 event code 0-15, or '\0' for any other event (e.g. 16 = flash).</summary>
    public static char FromEventCode(int eventCode) => (uint)eventCode < 16 ? Keys[eventCode] : '\0';

    /// <summary>Row and column indexes (0-3) of <paramref name="key"/> on the keypad.</summary>
    public static (int Row, int Column) Position(char key)
    {
        int index = Keypad.IndexOf(char.ToUpperInvariant(key));
        if (index < 0) throw new ArgumentException($"'{key}' is not a DTMF key", nameof(key));
        return (index / 4, index % 4);
    }

    /// <summary>The key at a keypad position.</summary>
    public static char AtPosition(int row, int column) => Keypad[row * 4 + column];

    /// <summary>The Q.23 frequency pair of <paramref name="key"/>.</summary>
    public static (int Low, int High) Frequencies(char key)
    {
        var (row, column) = Position(key);
        return (RowFrequencies[row], ColumnFrequencies[column]);
    }
}
