namespace Hotline.Switch.Routing;

/// <summary>
/// How far a call goes, for the toll-fraud check. The order is the permission ladder:
/// an extension allowed a class may call every class below it. Emergency is outside the ladder:
/// always allowed.
/// </summary>
public enum NumberClass { Internal, Local, National, International, Emergency }

/// <summary>What kind of number the numbering plan recognised.</summary>
public enum NumberKind
{
    Unknown,
    /// <summary>Police, fire, ambulance, traffic accidents (110, 119, 120, 122 in China).</summary>
    Emergency,
    /// <summary>Short service codes: 12345, 12315, 10086, 95588, 96xxx …</summary>
    Service,
    /// <summary>A fixed line, with its area code known (dialled with it, or a local number given the local area code).</summary>
    Fixed,
    Mobile,
    /// <summary>Numbers without a place: 400 (shared cost) and 800 (freephone) in China.</summary>
    NonGeographic,
    International,
}

/// <summary>How a number is written for a trunk or a display.</summary>
public enum NumberFormat
{
    /// <summary>As dialled inside the country: 01062345678, 13800138000, 00441632960001, 12345.</summary>
    National,
    /// <summary>E.164 with '+': +861062345678 (short service codes stay national).</summary>
    E164,
    /// <summary>E.164 digits without '+': 861062345678, as some carriers want in the Request-URI.</summary>
    E164NoPlus,
}

public static class NumberClasses
{
    /// <summary>Parses an extension's OutboundClass ("internal", "local", "national", "international").</summary>
    public static bool TryParseOutbound(string? text, out NumberClass permitted)
    {
        permitted = text?.ToLowerInvariant() switch
        {
            "internal" => NumberClass.Internal,
            "local" => NumberClass.Local,
            "national" => NumberClass.National,
            "international" => NumberClass.International,
            _ => (NumberClass)(-1),
        };
        return permitted >= 0;
    }

    /// <summary>Whether a caller with permission <paramref name="permitted"/> may call a number of class <paramref name="number"/>.</summary>
    public static bool Permits(this NumberClass permitted, NumberClass number) =>
        number == NumberClass.Emergency || (permitted != NumberClass.Emergency && number <= permitted);

    public static string Name(this NumberClass c) => c.ToString().ToLowerInvariant();
}
