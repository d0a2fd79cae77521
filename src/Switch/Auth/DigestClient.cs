using System.Globalization;
using System.Security.Cryptography;
using Hotline.Switch.Sip;

namespace Hotline.Switch.Auth;

/// <summary>
/// The client side of digest authentication (RFC 7616 §3.4, RFC 3261 §22.2): answers a 401/407
/// challenge, as the switch does when it registers to a trunk or calls through one.
/// </summary>
public sealed class DigestClient
{
    private readonly string _username;
    private readonly string _password;
    private uint _nc;
    private string? _lastNonce;

    public DigestClient(string username, string password)
    {
        _username = username;
        _password = password;
    }

    /// <summary>
    /// Builds the Authorization (for 401) or Proxy-Authorization (for 407) value for
    /// <paramref name="method"/> and <paramref name="uri"/>. Picks the strongest challenge it
    /// understands (SHA-256 over MD5). Null when no challenge is usable.
    /// </summary>
    public (HeaderId Header, string Value)? Answer(SipMessage challenge, string method, string uri)
    {
        var proxy = challenge.StatusCode == 407;
        DigestCredentials? best = null;
        var bestAlg = DigestAlgorithm.Md5;
        foreach (var v in challenge.Headers(proxy ? HeaderId.ProxyAuthenticate : HeaderId.WwwAuthenticate))
        {
            var c = DigestCredentials.Parse(challenge, v);
            if (c is not { IsDigest: true } || c.Nonce is null || !DigestHash.TryParse(c.Algorithm, out var alg)) continue;
            if (best is null || alg == DigestAlgorithm.Sha256) (best, bestAlg) = (c, alg);
        }
        if (best is null) return null;
        if (best.Nonce != _lastNonce)
        {
            _lastNonce = best.Nonce;
            _nc = 0;
        }
        var realm = best.Realm ?? "";
        var ha1 = DigestHash.Ha1(bestAlg, _username, realm, _password);
        var ha2 = DigestHash.Hex(bestAlg, $"{method}:{uri}");
        var useQop = best.Qop is not null && best.Qop.Split(',').Any(q => q.Trim().Equals("auth", StringComparison.OrdinalIgnoreCase));
        string value;
        if (useQop)
        {
            var nc = (++_nc).ToString("x8", CultureInfo.InvariantCulture);
            var cnonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            var response = DigestHash.Hex(bestAlg, $"{ha1}:{best.Nonce}:{nc}:{cnonce}:auth:{ha2}");
            value = $"Digest username=\"{_username}\", realm=\"{realm}\", nonce=\"{best.Nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={bestAlg.Name()}, cnonce=\"{cnonce}\", qop=auth, nc={nc}";
        }
        else
        {
            var response = DigestHash.Hex(bestAlg, $"{ha1}:{best.Nonce}:{ha2}");
            value = $"Digest username=\"{_username}\", realm=\"{realm}\", nonce=\"{best.Nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={bestAlg.Name()}";
        }
        if (best.Opaque is not null) value += $", opaque=\"{best.Opaque}\"";
        return (proxy ? HeaderId.ProxyAuthorization : HeaderId.Authorization, value);
    }
}
