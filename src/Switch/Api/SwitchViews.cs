namespace Hotline.Switch.Api;

/// <summary>One registered contact as the panel shows it.</summary>
public sealed record RegistrationView(
    string Aor, string Contact, string Transport, string Source, string? UserAgent, DateTimeOffset RegisteredAt, DateTimeOffset ExpiresAt);

public enum RegistrationEventKind { Added, Refreshed, Removed, Expired }

/// <summary>A registration came, was refreshed, or went.</summary>
public sealed record RegistrationEvent(RegistrationEventKind Kind, RegistrationView Registration);

/// <summary>One side of a live call (empty until call control reports legs).</summary>
public sealed record LiveLegView(string Role, string Peer, string? Codec, long PacketsReceived, long PacketsSent, long PacketsLost);

/// <summary>A call in progress.</summary>
public sealed record LiveCallView(
    string CallId, string Caller, string Callee, string State, DateTimeOffset Started, string? InboundTrunk, IReadOnlyList<LiveLegView> Legs)
{
    public TimeSpan Duration(DateTimeOffset now) => now > Started ? now - Started : TimeSpan.Zero;
}

/// <summary>The switch's counters at one instant, for the dashboard and /metrics.</summary>
/// <param name="OverloadRejected">New calls refused with 503 by overload control or the concurrent-call limit.</param>
/// <param name="QueueDelayMs">How long work waits for a thread now (overload control's measure).</param>
/// <param name="RtpTimeouts">Answered calls hung up because a party stopped sending media.</param>
public sealed record SwitchCounters(
    int Registrations,
    int RegisteredAors,
    int ActiveCalls,
    long CallsStarted,
    double CallsPerSecond,
    int BlockedSources,
    MediaCounters? Media = null,
    long OverloadRejected = 0,
    double QueueDelayMs = 0,
    long RtpTimeouts = 0);

/// <summary>
/// The media engine's packet counters since start (null in <see cref="SwitchCounters"/> when no engine runs).
/// <paramref name="SkippedTicks"/>: ticks a worker skipped after stalling for longer than Media:MaxTickCatchUpMs; recordings
/// and transcoded streams lose those 20 ms frames, so a recording comes out shorter than its call.
/// </summary>
public sealed record MediaCounters(int Endpoints, long RtpReceived, long RtpSent, long Relayed, long Malformed, long RejectedSource, long SendErrors, long LateTicks, long RecordingFramesDropped,
    long SkippedTicks = 0);

/// <summary>A trunk's live state: link, registration with the carrier, load against its limits.</summary>
public sealed record TrunkView(
    string Name, bool Enabled, bool Up, string? Registration, DateTimeOffset? RegisteredUntil, int? LastRegistrationStatus,
    DateTimeOffset? LastProbe, int ActiveCalls, int CallsLastMinute, int MaxConcurrentCalls, int MaxCallsPerMinute);

/// <summary>What the switch is listening on, for the dashboard and the system page.</summary>
public sealed record SwitchEndpoint(string ListenAddress, int Port, string Realm, bool CallControl);

/// <summary>The outcome of a command: done, or refused with the reason.</summary>
public sealed record CommandResult(bool Done, string? Refusal = null)
{
    public static readonly CommandResult Ok = new(true);
    public static CommandResult Refused(string reason) => new(false, reason);
}
