namespace Hotline.Switch.Routing;

/// <summary>
/// Where calls from a trunk to one DID go. <see cref="Did"/> "*" catches every DID nobody else
/// claims. An <see cref="RouteTargetKind.External"/> target is dialled through the outbound routes
/// exactly as a local phone would dial it; a <see cref="RouteTargetKind.Reject"/> target's value is
/// the status to answer (e.g. "403").
/// </summary>
public sealed record InboundRoute
{
    public string Did { get; init; } = "";
    /// <summary>Only calls from this trunk; null for any trunk.</summary>
    public string? Trunk { get; init; }
    public RouteTargetKind Target { get; init; } = RouteTargetKind.Extension;
    public string Value { get; init; } = "";
    /// <summary>Rewrite the caller's number to this format (for agents' screens and call-backs); null keeps it as received.</summary>
    public NumberFormat? CallerFormat { get; init; }
    public bool Record { get; init; }
    public bool Enabled { get; init; } = true;
    public string Source { get; init; } = "admin";

    public const string AnyDid = "*";

    public IEnumerable<string> Problems(string where)
    {
        if (Did != AnyDid && !OutboundRoute.IsDialString(Did, allowEmpty: false) && !IsUserPart(Did))
            yield return $"{where}:Did '{Did}' must be a number, a user name or *";
        if (Trunk is { Length: 0 }) yield return $"{where}:Trunk must not be empty (leave it out for any trunk)";
        if (Target == RouteTargetKind.Feature) yield return $"{where}:Target Feature cannot be reached from a trunk";
        if (!Enum.IsDefined(Target)) yield return $"{where}:Target '{Target}' is not a destination kind";
        if (Target == RouteTargetKind.Reject)
        {
            if (!int.TryParse(Value, out var status) || status is < 400 or > 699)
                yield return $"{where}:Value '{Value}' must be a SIP status from 400 to 699 for a Reject target";
        }
        else if (string.IsNullOrWhiteSpace(Value)) yield return $"{where}:Value must not be empty";
        if (CallerFormat is { } f && !Enum.IsDefined(f)) yield return $"{where}:CallerFormat '{f}' is not National, E164 or E164NoPlus";
    }

    /// <summary>Carriers often send the registration user name instead of a number: letters, digits and -_. are fine.</summary>
    private static bool IsUserPart(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '+');
}
