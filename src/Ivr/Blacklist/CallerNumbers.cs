namespace Hotline.Ivr.Blacklist;

/// <summary>
/// Caller numbers as the blacklist compares them. Trunks present the same caller as +8613812345678,
/// 008613812345678, 8613812345678 or 13812345678, and a landline as +861012345678 or 01012345678; all
/// become the national form (mobile 1xxxxxxxxxx, fixed line 0 + area code + number), so one entry catches
/// every spelling (foreign numbers keep 00 + country code). Callers who withhold their number arrive as "anonymous" (RFC 3323 privacy) or with no
/// digits at all.
/// </summary>
public static class CallerNumbers
{
    private static readonly string[] s_anonymous = ["anonymous", "unknown", "restricted", "unavailable", "private", "withheld"];

    public static bool IsAnonymous(string? caller)
    {
        if (string.IsNullOrWhiteSpace(caller)) return true;
        var c = caller.Trim();
        if (s_anonymous.Any(a => c.Equals(a, StringComparison.OrdinalIgnoreCase))) return true;
        return !c.Any(char.IsAsciiDigit);
    }

    /// <summary>Digits in national form; empty for anonymous callers.</summary>
    public static string Normalise(string? caller)
    {
        if (IsAnonymous(caller)) return "";
        var digits = new string(caller!.Where(char.IsAsciiDigit).ToArray());
        var international = caller!.TrimStart().StartsWith('+');
        string? national = null;
        if (international && digits.StartsWith("86", StringComparison.Ordinal)) national = digits[2..];
        else if (digits.StartsWith("0086", StringComparison.Ordinal)) national = digits[4..];
        else if (digits.Length == 13 && digits.StartsWith("861", StringComparison.Ordinal)) national = digits[2..];
        // Foreign numbers keep their international prefix, so +1 415… can't pass for a Chinese 141… number.
        if (national is null) return international ? "00" + digits : digits;
        // Mobile numbers have no trunk prefix; fixed lines get their 0 back (+86 10 … → 010 …).
        return national.Length == 11 && national[0] == '1' ? national : "0" + national;
    }
}
