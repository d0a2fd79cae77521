namespace Hotline.Switch.Routing;

/// <summary>
/// Recognises and rewrites telephone numbers. For China (country code 86) the rules are explicit:
/// <list type="bullet">
/// <item>trunk prefix 0, international prefix 00, E.164 as +86… or 0086…;</item>
/// <item>mobiles: 11 digits 1[3-9]xxxxxxxxx, dialled without a prefix;</item>
/// <item>fixed lines: area code 10 or 2x followed by 8 digits, or a 3-digit area code (3xx–9xx)
/// followed by 7 or 8 digits; subscriber numbers start with 2–8; without an area code they are in
/// the local area;</item>
/// <item>short codes: the emergency numbers (110, 119, 120, 122), 1xx and 1xxxx services (114, 12345,
/// 12315, 10086), 95xxx national and 96xxx local service numbers; 400/800 non-geographic numbers.</item>
/// </list>
/// Other country codes get a generic plan: 0 + national number, 00 + international, short codes local.
/// </summary>
public sealed class NumberingPlan
{
    private readonly HashSet<string> _emergency;
    private readonly NumberClass _mobileClass;

    public NumberingPlan(NumberingOptions options)
    {
        options.Validate();
        Options = options;
        _emergency = new HashSet<string>(options.EmergencyNumbers, StringComparer.Ordinal);
        NumberClasses.TryParseOutbound(options.MobileClass, out _mobileClass);
    }

    public NumberingOptions Options { get; }

    private string Cc => Options.CountryCode;
    private string Lac => Options.LocalAreaCode;

    /// <summary>Drops the visual separators people and phones put in numbers (RFC 3966 §5.1.1): space - . ( ).</summary>
    public static string Clean(string dialled)
    {
        if (dialled.AsSpan().IndexOfAny(" -.()") < 0) return dialled.Trim();
        return string.Concat(dialled.Where(c => c is not (' ' or '-' or '.' or '(' or ')')));
    }

    public PhoneNumber Parse(string dialled)
    {
        var s = Clean(dialled);
        if (s.Length == 0) return PhoneNumber.Unknown(dialled);
        if (s[0] == '+')
        {
            var digits = s[1..];
            if (!AllDigits(digits)) return PhoneNumber.Unknown(dialled);
            return digits.StartsWith(Cc, StringComparison.Ordinal) ? NationalSignificant(dialled, digits[Cc.Length..]) : International(dialled, digits);
        }
        if (!AllDigits(s)) return PhoneNumber.Unknown(dialled);
        if (s.StartsWith("00", StringComparison.Ordinal))
        {
            var digits = s[2..];
            return digits.StartsWith(Cc, StringComparison.Ordinal) ? NationalSignificant(dialled, digits[Cc.Length..]) : International(dialled, digits);
        }
        if (s[0] == '0') return NationalSignificant(dialled, s[1..]);
        return Options.IsChina ? ChinaWithoutPrefix(dialled, s) : GenericWithoutPrefix(dialled, s);
    }

    /// <summary>The class of a dialled number; unknown numbers are refused by the dial plan before this matters.</summary>
    public NumberClass Classify(string dialled) => Parse(dialled).Class;

    private PhoneNumber International(string dialled, string digits)
    {
        // E.164 §6: at most 15 digits including the country code, which never starts with 0.
        if (digits.Length is < 7 or > 15 || digits[0] == '0') return PhoneNumber.Unknown(dialled);
        return new PhoneNumber(dialled, NumberKind.International, NumberClass.International, "00" + digits, "+" + digits, null);
    }

    /// <summary>The national significant number: what follows the trunk prefix 0 or the country code.</summary>
    private PhoneNumber NationalSignificant(string dialled, string nsn)
    {
        // "+86 (0)10 …": the trunk prefix written after the country code by habit.
        if (nsn.StartsWith('0')) nsn = nsn[1..];
        if (nsn.Length == 0) return PhoneNumber.Unknown(dialled);
        if (!Options.IsChina)
        {
            if (_emergency.Contains(nsn)) return Emergency(dialled, nsn, null);
            if (nsn.Length is < 4 or > 14) return PhoneNumber.Unknown(dialled);
            return new PhoneNumber(dialled, NumberKind.Fixed, NumberClass.National, "0" + nsn, "+" + Cc + nsn, null);
        }
        if (IsChinaMobile(nsn)) return Mobile(dialled, nsn);
        if (IsNonGeographic(nsn)) return NonGeographic(dialled, nsn);
        var areaLength = nsn[0] == '1' && nsn.Length > 1 && nsn[1] == '0' ? 2 : nsn[0] == '2' ? 2 : nsn[0] is >= '3' and <= '9' ? 3 : 0;
        if (areaLength == 0 || nsn.Length <= areaLength) return PhoneNumber.Unknown(dialled);
        var area = nsn[..areaLength];
        var subscriber = nsn[areaLength..];
        var local = area == Lac;
        if (_emergency.Contains(subscriber)) return Emergency(dialled, "0" + area + subscriber, area);
        if (IsChinaServiceCode(subscriber))
            return new PhoneNumber(dialled, NumberKind.Service, local ? NumberClass.Local : NumberClass.National, "0" + area + subscriber, null, area);
        // Two-digit area codes (Beijing, Shanghai, Guangzhou …) have 8-digit subscriber numbers; three-digit ones 7 or 8.
        var lengthOk = areaLength == 2 ? subscriber.Length == 8 : subscriber.Length is 7 or 8;
        if (!lengthOk || subscriber[0] is < '2' or > '8') return PhoneNumber.Unknown(dialled);
        return new PhoneNumber(dialled, NumberKind.Fixed, local ? NumberClass.Local : NumberClass.National,
            "0" + area + subscriber, "+" + Cc + area + subscriber, area);
    }

    private PhoneNumber ChinaWithoutPrefix(string dialled, string s)
    {
        if (_emergency.Contains(s)) return Emergency(dialled, s, Lac.Length > 0 ? Lac : null);
        if (IsChinaServiceCode(s)) return new PhoneNumber(dialled, NumberKind.Service, NumberClass.Local, s, null, Lac.Length > 0 ? Lac : null);
        if (IsChinaMobile(s)) return Mobile(dialled, s);
        if (IsNonGeographic(s)) return NonGeographic(dialled, s);
        if (s.Length is 7 or 8 && s[0] is >= '2' and <= '8') return LocalFixed(dialled, s);
        return PhoneNumber.Unknown(dialled);
    }

    private PhoneNumber GenericWithoutPrefix(string dialled, string s)
    {
        if (_emergency.Contains(s)) return Emergency(dialled, s, Lac.Length > 0 ? Lac : null);
        if (s.Length >= 5 && s.Length <= 12) return LocalFixed(dialled, s);
        if (s.Length is 3 or 4) return new PhoneNumber(dialled, NumberKind.Service, NumberClass.Local, s, null, Lac.Length > 0 ? Lac : null);
        return PhoneNumber.Unknown(dialled);
    }

    /// <summary>A fixed line dialled without its area code: it is in the local area, and gets that area code when written out.</summary>
    private PhoneNumber LocalFixed(string dialled, string subscriber) =>
        Lac.Length == 0
            ? new PhoneNumber(dialled, NumberKind.Fixed, NumberClass.Local, subscriber, null, null)
            : new PhoneNumber(dialled, NumberKind.Fixed, NumberClass.Local, "0" + Lac + subscriber, "+" + Cc + Lac + subscriber, Lac);

    private PhoneNumber Mobile(string dialled, string number) =>
        new(dialled, NumberKind.Mobile, _mobileClass, number, "+" + Cc + number, null);

    private PhoneNumber NonGeographic(string dialled, string number) =>
        new(dialled, NumberKind.NonGeographic, NumberClass.National, number, "+" + Cc + number, null);

    private static PhoneNumber Emergency(string dialled, string national, string? area) =>
        new(dialled, NumberKind.Emergency, NumberClass.Emergency, national, null, area);

    /// <summary>China mobile numbers: 11 digits, 13x–19x (MIIT numbering plan).</summary>
    private static bool IsChinaMobile(string s) => s.Length == 11 && s[0] == '1' && s[1] is >= '3' and <= '9';

    /// <summary>400 (shared cost) and 800 (freephone): 10 digits.</summary>
    private bool IsNonGeographic(string s) => Options.IsChina && s.Length == 10 && (s.StartsWith("400", StringComparison.Ordinal) || s.StartsWith("800", StringComparison.Ordinal));

    /// <summary>1xx (110, 114, 119 …), 1xxxx (10086, 12315, 12345 …), 95xxx–95xxxxxx and 96xxx–96xxxxxx.</summary>
    private static bool IsChinaServiceCode(string s) =>
        (s[0] == '1' && s.Length is 3 or 5)
        || ((s.StartsWith("95", StringComparison.Ordinal) || s.StartsWith("96", StringComparison.Ordinal)) && s.Length is >= 5 and <= 8);

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
