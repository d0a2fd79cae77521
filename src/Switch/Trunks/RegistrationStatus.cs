using System.Net;

namespace Hotline.Switch.Trunks;

public enum RegistrationState { Unregistered, Registering, Registered, Failed }

/// <summary>
/// A trunk registration as the panel shows it. <see cref="RegisteredUntil"/> is when the registrar's
/// binding runs out; it can lie in the future while <see cref="State"/> is Failed (a refresh failed
/// but the last grant still holds).
/// </summary>
public sealed record RegistrationStatus(
    RegistrationState State,
    DateTimeOffset Since,
    DateTimeOffset? RegisteredUntil,
    int LastStatus,
    string? LastReason,
    DateTimeOffset? NextAttempt,
    int ConsecutiveFailures,
    IPAddress? Registrar);
