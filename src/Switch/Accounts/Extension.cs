namespace Hotline.Switch.Accounts;

/// <summary>
/// A local user: a desk phone or softphone line. Only digest hashes of the password are kept
/// (HA1 = H(user:realm:password), RFC 7616 §3.4.2), never the password itself.
/// </summary>
public sealed class Extension
{
    public string Number { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string Ha1Md5 { get; set; } = "";
    public string Ha1Sha256 { get; set; } = "";
    /// <summary>The realm the hashes were made for; a realm change needs the password again.</summary>
    public string Realm { get; set; } = "";
    public bool Enabled { get; set; } = true;
    /// <summary>Whether this extension's calls are recorded (the default for a hotline: every call).</summary>
    public bool Record { get; set; } = true;
    /// <summary>
    /// Toll-fraud guard: the farthest this extension may call out — "internal", "local", "national"
    /// or "international".
    /// </summary>
    public string OutboundClass { get; set; } = "national";
    /// <summary>"config" when seeded from the configuration file, "admin" once changed through the API.</summary>
    public string Source { get; set; } = "admin";

    /// <summary>Sets the password: computes both hashes for the realm and forgets the password.</summary>
    public void SetPassword(string password, string realm)
    {
        Realm = realm;
        Ha1Md5 = Auth.DigestHash.Ha1(Auth.DigestAlgorithm.Md5, Number, realm, password);
        Ha1Sha256 = Auth.DigestHash.Ha1(Auth.DigestAlgorithm.Sha256, Number, realm, password);
    }
}
