namespace Hotline.Switch.Registrar;

/// <summary>Configuration section "Registrar".</summary>
public sealed class RegistrarOptions
{
    /// <summary>Shorter registrations are refused with 423 Interval Too Brief (RFC 3261 §10.3 step 7).</summary>
    public int MinExpires { get; set; } = 60;
    /// <summary>Longer requests are shortened to this.</summary>
    public int MaxExpires { get; set; } = 3600;
    /// <summary>Used when neither the Contact nor the request says.</summary>
    public int DefaultExpires { get; set; } = 3600;
    /// <summary>A phone registering more contacts than this for one AOR gets its oldest ones replaced.</summary>
    public int MaxContactsPerAor { get; set; } = 10;
    /// <summary>
    /// Addresses of SIP front ends (e.g. Kamailio) that authenticate users before relaying; their
    /// REGISTERs are not challenged again.
    /// </summary>
    public string[] TrustedProxies { get; set; } = [];
    /// <summary>Registered contacts are pinged with OPTIONS this often (keeps NAT mappings open); 0 turns it off.</summary>
    public int QualifySeconds { get; set; } = 30;

    public void Validate()
    {
        if (MinExpires < 1) throw new InvalidOperationException("Registrar:MinExpires must be at least 1");
        if (MaxExpires < MinExpires) throw new InvalidOperationException("Registrar:MaxExpires must be at least Registrar:MinExpires");
        if (DefaultExpires < MinExpires || DefaultExpires > MaxExpires)
            throw new InvalidOperationException("Registrar:DefaultExpires must be between Registrar:MinExpires and Registrar:MaxExpires");
        if (QualifySeconds < 0) throw new InvalidOperationException("Registrar:QualifySeconds must not be negative");
        if (MaxContactsPerAor < 1) throw new InvalidOperationException("Registrar:MaxContactsPerAor must be at least 1");
        foreach (var p in TrustedProxies)
        {
            if (!System.Net.IPAddress.TryParse(p, out _)) throw new InvalidOperationException($"Registrar:TrustedProxies: '{p}' is not an IP address");
        }
    }
}
