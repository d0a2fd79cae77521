using System.Security.Cryptography;
using System.Text;

namespace Hotline.Ivr.Voicemail;

/// <summary>
/// A voicemail box: one per extension (id = the extension number) and one per hotline (e.g. "12345", where
/// after-hours callers leave messages). <see cref="Extensions"/> are the phones that see its message-waiting
/// lamp and may subscribe to it. Only a salted PBKDF2 hash of the PIN is kept.
/// </summary>
public sealed record Mailbox
{
    public required string Id { get; init; }
    public string Name { get; init; } = "";
    public string PinHash { get; init; } = "";
    public string PinSalt { get; init; } = "";
    public IReadOnlyList<string> Extensions { get; init; } = [];
    /// <summary>Send NOTIFYs to the extensions' registered phones without waiting for a SUBSCRIBE.</summary>
    public bool UnsolicitedMwi { get; init; }
    /// <summary>The box's own greeting (a prompt name); the system greeting when null.</summary>
    public string? Greeting { get; init; }
    public int MaxMessages { get; init; } = 100;
    public int MaxMessageSeconds { get; init; } = 180;
    /// <summary>Recordings shorter than this (a caller who hung up at the beep) are not kept.</summary>
    public double MinMessageSeconds { get; init; } = 1;
    public string Source { get; init; } = "admin";

    private const int Iterations = 20_000;

    public bool HasPin => PinHash.Length > 0;

    public Mailbox WithPin(string pin)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return this with { PinSalt = Convert.ToBase64String(salt), PinHash = Hash(pin, salt) };
    }

    public bool VerifyPin(string pin)
    {
        if (!HasPin) return false;
        var expected = Convert.FromBase64String(PinHash);
        var actual = Convert.FromBase64String(Hash(pin, Convert.FromBase64String(PinSalt)));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static string Hash(string pin, byte[] salt) =>
        Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(pin), salt, Iterations, HashAlgorithmName.SHA256, 32));

    public static string? PinProblem(string pin) =>
        pin.Length is < 4 or > 12 || !pin.All(char.IsAsciiDigit) ? "pin must be 4 to 12 digits" : null;

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Id.Length is 0 or > 32 || !Id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            problems.Add($"id '{Id}' must be 1 to 32 letters, digits, - or _ (an extension or hotline number)");
        foreach (var e in Extensions.Where(e => e.Length == 0 || !e.All(char.IsAsciiDigit))) problems.Add($"extensions: '{e}' is not an extension number");
        if (MaxMessages is < 1 or > 10_000) problems.Add("maxMessages must be from 1 to 10000");
        if (MaxMessageSeconds is < 5 or > 3600) problems.Add("maxMessageSeconds must be from 5 to 3600");
        if (MinMessageSeconds is < 0 or > 10) problems.Add("minMessageSeconds must be from 0 to 10");
        if (Greeting is not null && !Hotline.Ivr.Flows.FlowFields.PromptName().IsMatch(Greeting)) problems.Add($"greeting '{Greeting}' is not a prompt name");
        return problems;
    }
}

/// <summary>A message left in a mailbox. New means not yet heard (RFC 3842's "new"); heard ones are "old".</summary>
public sealed record VoicemailMessage
{
    public required string Id { get; init; }
    public required string Mailbox { get; init; }
    public string Caller { get; init; } = "";
    public string? CallerName { get; init; }
    public string Dialled { get; init; } = "";
    public string CallId { get; init; } = "";
    public DateTimeOffset Received { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>The WAV, relative to the data directory (voicemail/&lt;box&gt;/…).</summary>
    public string File { get; init; } = "";
    public bool Read { get; init; }
    /// <summary>Kept on purpose by its owner (the "save" key), so housekeeping leaves it.</summary>
    public bool Saved { get; init; }
    public bool Urgent { get; init; }
}
