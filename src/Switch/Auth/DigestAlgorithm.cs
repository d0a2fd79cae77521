using System.Security.Cryptography;
using System.Text;

namespace Hotline.Switch.Auth;

/// <summary>The digest hash functions of RFC 7616 §3.2 that SIP uses (RFC 8760): MD5 and SHA-256.</summary>
public enum DigestAlgorithm { Md5, Sha256 }

public static class DigestHash
{
    public static string Name(this DigestAlgorithm a) => a == DigestAlgorithm.Md5 ? "MD5" : "SHA-256";

    public static bool TryParse(string? name, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (string.IsNullOrEmpty(name) || name.Equals("MD5", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }
        return false;
    }

    /// <summary>Lower-case hex of H(text).</summary>
    public static string Hex(DigestAlgorithm a, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var hash = a == DigestAlgorithm.Md5 ? MD5.HashData(bytes) : SHA256.HashData(bytes);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>HA1 = H(username ":" realm ":" password), RFC 7616 §3.4.2.</summary>
    public static string Ha1(DigestAlgorithm a, string user, string realm, string password) => Hex(a, $"{user}:{realm}:{password}");
}
