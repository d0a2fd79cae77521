namespace Hotline.Switch.Routing;

/// <summary>
/// A dialled number as the numbering plan understood it. <see cref="National"/> is how it is dialled
/// inside the country (with the trunk prefix 0 and the area code for fixed lines, 00 for abroad);
/// <see cref="E164"/> is the international form, null for short service and emergency codes, which
/// only mean something where they are dialled.
/// </summary>
public sealed record PhoneNumber(string Dialled, NumberKind Kind, NumberClass Class, string National, string? E164, string? AreaCode)
{
    public bool IsKnown => Kind != NumberKind.Unknown;

    /// <summary>The number written as <paramref name="format"/> wants it; numbers without an E.164 form stay national.</summary>
    public string Format(NumberFormat format) => format switch
    {
        NumberFormat.E164 => E164 ?? National,
        NumberFormat.E164NoPlus => E164 is null ? National : E164[1..],
        _ => National,
    };

    /// <summary>Canonical form for records and matching: E.164 when there is one.</summary>
    public string Normalised => E164 ?? National;

    /// <summary>What the plan could not recognise. Counted as international, the strictest class, should anyone ask.</summary>
    public static PhoneNumber Unknown(string dialled) => new(dialled, NumberKind.Unknown, NumberClass.International, dialled, null, null);
}
