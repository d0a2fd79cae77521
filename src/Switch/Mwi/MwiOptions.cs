namespace Hotline.Switch.Mwi;

/// <summary>Configuration section "Mwi": subscription durations for message-summary (RFC 3842 §3.4, RFC 6665 §4.2.1.1).</summary>
public sealed class MwiOptions
{
    public int MinExpires { get; set; } = 60;
    public int MaxExpires { get; set; } = 3600;
    /// <summary>Granted when the SUBSCRIBE has no Expires (RFC 3842 §3.4 suggests an hour).</summary>
    public int DefaultExpires { get; set; } = 3600;

    public void Validate()
    {
        if (MinExpires < 1) throw new InvalidOperationException("Mwi:MinExpires must be at least 1");
        if (MaxExpires < MinExpires) throw new InvalidOperationException("Mwi:MaxExpires must not be below Mwi:MinExpires");
        if (DefaultExpires < MinExpires || DefaultExpires > MaxExpires) throw new InvalidOperationException("Mwi:DefaultExpires must be between Mwi:MinExpires and Mwi:MaxExpires");
    }
}
