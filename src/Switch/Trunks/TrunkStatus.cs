namespace Hotline.Switch.Trunks;

/// <summary>
/// A trunk's live state for the panel: whether it takes calls, its registration and keep-alive
/// (null when not used), and its load against the limits.
/// </summary>
public sealed record TrunkStatus(
    string Name,
    bool Enabled,
    TrunkLinkState Link,
    RegistrationStatus? Registration,
    KeepAliveStatus? KeepAlive,
    int ActiveCalls,
    int CallsLastMinute,
    int MaxConcurrentCalls,
    int MaxCallsPerMinute);
