using System.Security.Cryptography;

namespace Hotline.Switch.Sip;

/// <summary>
/// Branches, tags and Call-IDs. They come from a cryptographic generator: an off-path attacker
/// who could guess them could inject a BYE or a response into someone's call.
/// </summary>
public static class SipIds
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private static string Random(string prefix, int length) =>
        string.Create(prefix.Length + length, prefix, static (span, prefix) =>
        {
            prefix.AsSpan().CopyTo(span);
            var tail = span[prefix.Length..];
            Span<byte> bytes = stackalloc byte[tail.Length];
            RandomNumberGenerator.Fill(bytes);
            for (var i = 0; i < tail.Length; i++) tail[i] = Alphabet[bytes[i] % Alphabet.Length];
        });

    /// <summary>A branch with the RFC 3261 magic cookie.</summary>
    public static string NewBranch() => Random("z9hG4bK", 16);

    public static string NewTag() => Random("", 12);

    public static string NewCallId(string host) => Random("", 20) + "@" + host;
}
