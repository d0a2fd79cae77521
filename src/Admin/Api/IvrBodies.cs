using System.Text.Json;
using System.Text.RegularExpressions;
using Hotline.Admin.Services;
using Hotline.Ivr.Storage;
using Microsoft.AspNetCore.Http;

namespace Hotline.Admin.Api;

/// <summary>
/// IVR records travel in the IVR's one JSON shape (<see cref="IvrJson"/>: camelCase, enums as camelCase names,
/// dates yyyy-MM-dd, times HH:mm) — the shape of the store and of the seed bundles — so a record downloaded
/// from the API can be put into a bundle as it is. A body that does not parse is a validation problem naming the field.
/// </summary>
internal static partial class IvrBodies
{
    public const long MaxJsonBytes = 1024 * 1024;

    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext http) where T : class
    {
        if (http.Request.ContentLength > MaxJsonBytes) return (null, ApiHelpers.Invalid("(document)", $"must be at most {MaxJsonBytes / 1024} KiB"));
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(http.Request.Body, IvrJson.Options, http.RequestAborted);
            return value is null ? (null, ApiHelpers.Invalid("(document)", "must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            return (null, ApiHelpers.Invalid(FieldOf(e), Message(e)));
        }
    }

    /// <summary>The raw text of a JSON body (a flow document is stored exactly as written).</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadTextAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxJsonBytes) return (null, ApiHelpers.Invalid("(document)", $"must be at most {MaxJsonBytes / 1024} KiB"));
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(http.RequestAborted);
        return text.Length > MaxJsonBytes ? (null, ApiHelpers.Invalid("(document)", $"must be at most {MaxJsonBytes / 1024} KiB")) : (text, null);
    }

    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, IvrJson.Options, statusCode: status);

    /// <summary>Like <see cref="ApiHelpers.ToResult{T}"/>, with the value written in the IVR's JSON shape.</summary>
    public static IResult ToIvrResult<T>(this Outcome<T> outcome, int status = StatusCodes.Status200OK) =>
        outcome.ToResult(v => status == StatusCodes.Status204NoContent ? Results.NoContent() : Json(v, status));

    /// <summary>"$.week.monday.open" → "week.monday.open"; a missing required property → its name.</summary>
    private static string FieldOf(JsonException e)
    {
        if (Required().Match(e.Message) is { Success: true } m) return m.Groups[1].Value;
        var path = e.Path ?? "$";
        return path is "$" or "" ? "(document)" : path.TrimStart('$', '.');
    }

    private static string Message(JsonException e)
    {
        if (Required().IsMatch(e.Message)) return "is required";
        // System.Text.Json's messages name CLR types; keep the part that says what was wrong with the value.
        var text = e.Message;
        var cut = text.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? text[..cut] : text;
    }

    [GeneratedRegex("missing required properties including: '([^']+)'")]
    private static partial Regex Required();
}
