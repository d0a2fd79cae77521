namespace Hotline.Admin.Services;

/// <summary>
/// The result of an application-service call: a value, or the fields that are wrong (field → messages,
/// the shape of an RFC 9457 validation problem), or "not found", or a command refused by the state of
/// things rather than by its input (no live call at that phone, the entry was taken already).
/// </summary>
public sealed record Outcome<T>(T? Value, IReadOnlyDictionary<string, string[]>? Errors = null, bool Missing = false, string? Refusal = null)
{
    public bool Ok => Errors is null && !Missing && Refusal is null;

    /// <summary>A line for the panel's message bar: the refusal, or every field's messages.</summary>
    public string Problem => Refusal ?? (Errors is null ? "" : string.Join("; ", Errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));

    public static Outcome<T> Refused(string reason) => new(default, Refusal: reason);

    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors) => new(default, errors);

    public static Outcome<T> Invalid(string field, string message) => new(default, new Dictionary<string, string[]> { [field] = [message] });

    public static Outcome<T> NotFound() => new(default, Missing: true);

    public static implicit operator Outcome<T>(T value) => new(value);
}

/// <summary>Who is acting, for the audit log: a user name or "token:name", and the client address.</summary>
public sealed record Actor(string Name, string? Address)
{
    public static readonly Actor System = new("system", null);
}
