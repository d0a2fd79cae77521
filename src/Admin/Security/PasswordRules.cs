namespace Hotline.Admin.Security;

/// <summary>What a panel password must be: long enough, letters and digits.</summary>
public static class PasswordRules
{
    public const int MinLength = 10;

    /// <summary>Null when acceptable, else what is wrong.</summary>
    public static string? Check(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "is required";
        if (password.Length < MinLength) return $"must have at least {MinLength} characters";
        if (password.Length > 128) return "must have at most 128 characters";
        if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit)) return "must contain letters and digits";
        return null;
    }

    /// <summary>A random password that passes <see cref="Check"/>: 20 characters from an unambiguous alphabet.</summary>
    public static string Generate()
    {
        const string letters = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
        const string digits = "23456789";
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            var alphabet = i % 4 == 3 ? digits : letters;
            chars[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new string(chars);
    }
}
