using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hotline.Switch.Accounts;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Auth;

public enum AuthOutcome
{
    /// <summary>Credentials check out.</summary>
    Authenticated,
    /// <summary>No usable credentials for our realm: challenge.</summary>
    Challenge,
    /// <summary>Right password, expired nonce: challenge with stale=true (RFC 7616 §3.3).</summary>
    Stale,
    /// <summary>Wrong password, unknown user, replayed nonce count, malformed: 403. Deliberately one outcome.</summary>
    Failed,
}

public readonly record struct AuthResult(AuthOutcome Outcome, Extension? Extension = null, string? Reason = null);

/// <summary>
/// Digest authentication of requests (RFC 3261 §22, RFC 7616, RFC 8760) against local extensions.
/// An unknown user and a wrong password are indistinguishable from outside: same challenge, same
/// 403 after it, and the same hashing work on both paths.
/// </summary>
public sealed class DigestAuthenticator
{
    private readonly string _realm;
    private readonly IExtensionRepository _extensions;
    private readonly NonceService _nonces;
    private readonly DigestAlgorithm[] _offered;

    public DigestAuthenticator(string realm, IExtensionRepository extensions, NonceService nonces, IEnumerable<DigestAlgorithm> offered)
    {
        _realm = realm;
        _extensions = extensions;
        _nonces = nonces;
        _offered = offered.ToArray();
    }

    public string Realm => _realm;

    /// <summary>Checks the Authorization (or, with <paramref name="proxy"/>, Proxy-Authorization) credentials for our realm.</summary>
    public AuthResult Authenticate(SipMessage request, bool proxy)
    {
        DigestCredentials? credentials = null;
        foreach (var value in request.Headers(proxy ? HeaderId.ProxyAuthorization : HeaderId.Authorization))
        {
            var c = DigestCredentials.Parse(request, value);
            if (c is { IsDigest: true } && string.Equals(c.Realm, _realm, StringComparison.Ordinal))
            {
                credentials = c;
                break;
            }
        }
        if (credentials is null) return new AuthResult(AuthOutcome.Challenge);
        if (credentials.Username is null || credentials.Nonce is null || credentials.Response is null || credentials.Uri is null
            || !DigestHash.TryParse(credentials.Algorithm, out var algorithm) || !_offered.Contains(algorithm))
        {
            return new AuthResult(AuthOutcome.Failed, Reason: "incomplete credentials or algorithm not offered");
        }
        var nonceState = _nonces.Check(credentials.Nonce);
        if (nonceState == NonceState.Invalid) return new AuthResult(AuthOutcome.Challenge, Reason: "unknown nonce");

        var extension = _extensions.Find(credentials.Username);
        var known = extension is { Enabled: true } && extension.Realm == _realm;
        // Unknown users are checked against a throwaway hash so both paths cost the same.
        var ha1 = known ? (algorithm == DigestAlgorithm.Md5 ? extension!.Ha1Md5 : extension!.Ha1Sha256)
                        : DigestHash.Ha1(algorithm, credentials.Username, _realm, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)));
        var expected = ExpectedResponse(algorithm, ha1, request.MethodText, credentials);
        if (expected is null) return new AuthResult(AuthOutcome.Failed, Reason: "unsupported qop");
        var match = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(credentials.Response.ToLowerInvariant()));
        if (!known || !match) return new AuthResult(AuthOutcome.Failed, Reason: known ? "wrong response" : "unknown user");
        if (nonceState == NonceState.Stale) return new AuthResult(AuthOutcome.Stale);
        var nc = 0u;
        if (credentials.Qop is not null && !uint.TryParse(credentials.Nc, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out nc))
            return new AuthResult(AuthOutcome.Failed, Reason: "malformed nonce count");
        if (!_nonces.TryUse(credentials.Nonce, nc))
        {
            // A reused nonce count is a replay, or (without qop) a nonce used twice: ask again rather than refuse.
            return credentials.Qop is null ? new AuthResult(AuthOutcome.Stale) : new AuthResult(AuthOutcome.Failed, Reason: "replayed nonce count");
        }
        return new AuthResult(AuthOutcome.Authenticated, extension);
    }

    /// <summary>response = H(HA1:nonce:nc:cnonce:qop:HA2) with qop=auth, else H(HA1:nonce:HA2) (RFC 7616 §3.4.1, RFC 2069).</summary>
    private static string? ExpectedResponse(DigestAlgorithm a, string ha1, string method, DigestCredentials c)
    {
        var ha2 = DigestHash.Hex(a, $"{method}:{c.Uri}");
        if (c.Qop is null) return DigestHash.Hex(a, $"{ha1}:{c.Nonce}:{ha2}");
        if (!c.Qop.Equals("auth", StringComparison.OrdinalIgnoreCase) || c.Cnonce is null || c.Nc is null) return null;
        return DigestHash.Hex(a, $"{ha1}:{c.Nonce}:{c.Nc}:{c.Cnonce}:{c.Qop}:{ha2}");
    }

    /// <summary>Adds one challenge per offered algorithm, strongest first (RFC 8760 §2.4).</summary>
    public void WriteChallenge(SipMessageWriter w, bool proxy, bool stale)
    {
        var nonce = _nonces.Create();
        foreach (var a in _offered)
        {
            var value = $"Digest realm=\"{_realm}\", nonce=\"{nonce}\", algorithm={a.Name()}, qop=\"auth\"{(stale ? ", stale=true" : "")}";
            w.Header(proxy ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate, value);
        }
    }
}
