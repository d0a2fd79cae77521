using PhoneNumbers;

namespace Hotline.Admin.Services;

/// <summary>
/// The caller's area (province and city) from the number, with libphonenumber's offline geocoder, which
/// knows Chinese area codes (010 Beijing, 020 Guangzhou …) and mobile number blocks (138 0013 …).
/// Numbers are read as dialled in China: a national number with its trunk prefix 0, a mobile number, or +86.
/// </summary>
public sealed class AreaLookup
{
    private readonly PhoneNumberUtil _util = PhoneNumberUtil.GetInstance();
    private readonly PhoneNumberOfflineGeocoder _geocoder = PhoneNumberOfflineGeocoder.GetInstance();

    /// <summary>The area in <paramref name="language"/> ("zh" or "en"), or null when the number has none (short numbers, extensions, anonymous).</summary>
    public string? Describe(string? number, string language)
    {
        if (string.IsNullOrWhiteSpace(number)) return null;
        var digits = new string(number.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        if (digits.Length < 7) return null;
        if (digits.StartsWith("00", StringComparison.Ordinal)) digits = "+" + digits[2..];
        PhoneNumber parsed;
        try
        {
            parsed = _util.Parse(digits, "CN");
        }
        catch (NumberParseException)
        {
            return null;
        }
        if (!_util.IsValidNumber(parsed)) return null;
        var locale = language == "en" ? Locale.English : new Locale("zh", "CN");
        var description = _geocoder.GetDescriptionForNumber(parsed, locale);
        return string.IsNullOrEmpty(description) ? null : description;
    }
}
