using System.Security.Cryptography;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Agent PINs are short, so they are stored as salted PBKDF2 (SHA-256) hashes and guessing is limited by
/// <see cref="AgentService"/>'s lockout; a leaked database then does not hand out logins directly.
/// </summary>
public static class AgentPin
{
    // A 4–6 digit PIN cannot resist an offline search whatever the cost; this keeps plain PINs out of the store
    // while a check stays a few milliseconds (logins, and the seed comparing 500 agents at start-up).
    private const int Iterations = 10_000;

    public static string Hash(string pin)
    {
        Span<byte> salt = stackalloc byte[16];
        RandomNumberGenerator.Fill(salt);
        var hash = Rfc2898DeriveBytes.Pbkdf2(pin, salt, Iterations, HashAlgorithmName.SHA256, 32);
        return $"pbkdf2-sha256${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public static bool Verify(string pin, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != "pbkdf2-sha256" || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(pin, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static bool IsValidPin(string pin) => pin.Length is >= 4 and <= 12 && pin.All(char.IsAsciiDigit);
}
