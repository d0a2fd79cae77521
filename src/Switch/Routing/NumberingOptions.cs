namespace Hotline.Switch.Routing;

/// <summary>
/// Configuration section "Numbering": the country and city the switch sits in, which decide how
/// dialled numbers are recognised and written (China's plan by default).
/// </summary>
public sealed class NumberingOptions
{
    /// <summary>E.164 country code without '+'. 86 selects the explicit China rules; others get a generic plan.</summary>
    public string CountryCode { get; set; } = "86";

    /// <summary>
    /// The local area code without the trunk prefix 0 (10 Beijing, 21 Shanghai, 20 Guangzhou, 755 Shenzhen).
    /// Numbers dialled without an area code belong to it. Beijing by default: set your own.
    /// </summary>
    public string LocalAreaCode { get; set; } = "10";

    /// <summary>Numbers that are always allowed, whatever the caller's class: police, fire, ambulance, traffic accidents.</summary>
    public List<string> EmergencyNumbers { get; set; } = ["110", "119", "120", "122"];

    /// <summary>
    /// The class of a mobile number: "national" by default (a mobile may be anywhere in the country and
    /// its home area is unknown without a number-segment database); "local" lets local-class extensions
    /// call citizens back on their mobiles.
    /// </summary>
    public string MobileClass { get; set; } = "national";

    public bool IsChina => CountryCode == "86";

    public void Validate()
    {
        if (CountryCode.Length is < 1 or > 3 || !CountryCode.All(char.IsAsciiDigit) || CountryCode[0] == '0')
            throw new InvalidOperationException($"Numbering:CountryCode '{CountryCode}' must be 1-3 digits, not starting with 0");
        if (LocalAreaCode.Length > 0 && (!LocalAreaCode.All(char.IsAsciiDigit) || LocalAreaCode[0] == '0' || LocalAreaCode.Length > 4))
            throw new InvalidOperationException($"Numbering:LocalAreaCode '{LocalAreaCode}' must be 1-4 digits without the leading 0 (e.g. 10, 21, 755)");
        for (var i = 0; i < EmergencyNumbers.Count; i++)
        {
            if (EmergencyNumbers[i].Length == 0 || !EmergencyNumbers[i].All(char.IsAsciiDigit))
                throw new InvalidOperationException($"Numbering:EmergencyNumbers:{i} '{EmergencyNumbers[i]}' must be digits");
        }
        if (!NumberClasses.TryParseOutbound(MobileClass, out var c) || c == NumberClass.Internal)
            throw new InvalidOperationException($"Numbering:MobileClass '{MobileClass}' must be local, national or international");
    }
}
