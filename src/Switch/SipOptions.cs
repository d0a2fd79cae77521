namespace Hotline.Switch;

/// <summary>Configuration section "Sip".</summary>
public sealed class SipOptions
{
    /// <summary>Address the UDP and TCP listeners bind to.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Port for both UDP and TCP (RFC 3261 §18: the same port for all transports).</summary>
    public int Port { get; set; } = 5060;

    /// <summary>Address written in Via and Contact; defaults to <see cref="ListenAddress"/>. Set it when behind NAT.</summary>
    public string? PublicAddress { get; set; }

    /// <summary>Digest realm and the domain of local users' AORs.</summary>
    public string Realm { get; set; } = "hotline";

    /// <summary>Value of Server and User-Agent; neutral on purpose so scanners learn nothing.</summary>
    public string UserAgent { get; set; } = "Hotline";

    /// <summary>Log every SIP message sent and received (category Hotline.Switch.Trace).</summary>
    public bool Trace { get; set; }

    /// <summary>Idle TCP connections are closed after this long.</summary>
    public int TcpIdleTimeoutSeconds { get; set; } = 900;

    /// <summary>Concurrent UDP receive loops; 0 means one per processor.</summary>
    public int UdpReceiveLoops { get; set; }

    public string AdvertisedAddress =>
        !string.IsNullOrEmpty(PublicAddress) ? PublicAddress
        : ListenAddress is "0.0.0.0" or "::" ? System.Net.IPAddress.Loopback.ToString() : ListenAddress;

    /// <summary>Checks the values; the message names the field that is wrong.</summary>
    public void Validate()
    {
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
            throw new InvalidOperationException($"Sip:ListenAddress '{ListenAddress}' is not an IP address");
        if (Port is < 1 or > 65535) throw new InvalidOperationException($"Sip:Port {Port} is not between 1 and 65535");
        if (string.IsNullOrWhiteSpace(Realm)) throw new InvalidOperationException("Sip:Realm must not be empty");
        if (TcpIdleTimeoutSeconds < 1) throw new InvalidOperationException("Sip:TcpIdleTimeoutSeconds must be at least 1");
        if (UdpReceiveLoops < 0) throw new InvalidOperationException("Sip:UdpReceiveLoops must not be negative");
    }
}
