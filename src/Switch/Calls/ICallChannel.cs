using Hotline.Switch.Routing;

namespace Hotline.Switch.Calls;

/// <summary>
/// A call as call flows (IVR, voicemail, queues, campaigns) see it: the caller's side of a call the
/// switch has taken, with its media. Every awaitable ends early, with <see cref="OperationCanceledException"/>,
/// when the caller hangs up (<see cref="Ended"/>) or the given token is cancelled.
/// </summary>
public interface ICallChannel
{
    string CallId { get; }
    /// <summary>The caller's number (normalised by routing); for calls the switch placed, the number called.</summary>
    string Caller { get; }
    string? CallerName { get; }
    /// <summary>The number dialled or the DID called.</summary>
    string Dialled { get; }
    /// <summary>The trunk the call came in on (or went out on), or null for local phones.</summary>
    string? Trunk { get; }
    /// <summary>The local extension that placed the call, or null.</summary>
    string? CallerExtension { get; }
    DateTimeOffset Started { get; }
    bool Answered { get; }
    /// <summary>Flow variables (digits collected, case id …); they travel with the call when it is connected or transferred.</summary>
    IDictionary<string, string> Variables { get; }
    /// <summary>Cancelled when the call ends for any reason.</summary>
    CancellationToken Ended { get; }

    /// <summary>Answers the caller (200 OK); does nothing if already answered.</summary>
    Task AnswerAsync(CancellationToken ct = default);

    /// <summary>Opens early media (183 with SDP) so prompts can be heard without answering (e.g. a notice before rejecting).</summary>
    Task EarlyMediaAsync(CancellationToken ct = default);

    /// <summary>
    /// Plays prompt files in order. With <paramref name="interruptOnDtmf"/>, a key press stops playback and
    /// is kept for the next <see cref="CollectDigitsAsync"/> (type-ahead, as callers expect from menus).
    /// </summary>
    Task<PlayResult> PlayAsync(IReadOnlyList<string> prompts, bool interruptOnDtmf, CancellationToken ct = default);

    /// <summary>Plays a switch tone for a while (busy, congestion, ringback, music on hold).</summary>
    Task PlayToneAsync(CallSound sound, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Starts music on hold until <see cref="StopAudio"/>, a prompt, or a connection replaces it.</summary>
    void StartMusicOnHold();

    /// <summary>Stops whatever the switch is playing to the caller.</summary>
    void StopAudio();

    /// <summary>Collects digits by <paramref name="rules"/>: typed-ahead digits first, then until max digits, the terminator or a timeout.</summary>
    Task<string> CollectDigitsAsync(DigitCollection rules, CancellationToken ct = default);

    /// <summary>Records the caller alone to a mono WAV (voicemail, prompts recorded by phone).</summary>
    Task<RecordResult> RecordAsync(string path, RecordOptions options, CancellationToken ct = default);

    /// <summary>
    /// Rings a destination (an extension's phones, or an external number through the trunks) and, on
    /// answer, connects the caller to it: the call is then an ordinary bridged, recorded call and the
    /// flow's part is over. Otherwise says why not, and the flow goes on (voicemail, another agent …).
    /// </summary>
    Task<ConnectResult> ConnectAsync(RouteTarget target, ConnectOptions options, CancellationToken ct = default);

    /// <summary>
    /// Rings several destinations at once (ring-all queues, simultaneous follow-me) and connects the caller
    /// to the first that answers; the others are cancelled. Cancelling <paramref name="ct"/> withdraws the
    /// whole attempt (CANCEL to every phone still ringing).
    /// </summary>
    Task<ConnectResult> ConnectAnyAsync(IReadOnlyList<RouteTarget> targets, ConnectOptions options, CancellationToken ct = default) =>
        ConnectAsync(targets[0], options, ct);

    /// <summary>
    /// Cancelled when the party the caller was connected to leaves while the call goes on (it transferred the
    /// caller on, or it hung up and the caller was kept); by default, when the call ends.
    /// </summary>
    CancellationToken ConnectedPartyLeft => Ended;

    /// <summary>Ends the call: BYE when answered, else the final response <paramref name="status"/> (default 480).</summary>
    Task HangupAsync(int status = 0, string? reason = null);
}

public sealed record PlayResult(bool Completed, char? InterruptedBy);

public sealed record DigitCollection(int MinDigits = 1, int MaxDigits = 1, char? Terminator = '#',
    TimeSpan? FirstDigitTimeout = null, TimeSpan? InterDigitTimeout = null);

public enum RecordEnd { MaxLength, Silence, Digit, HungUp }

public sealed record RecordOptions(TimeSpan MaxLength, TimeSpan SilenceEnd, bool Beep = true, char? StopDigit = '#');

public sealed record RecordResult(string Path, TimeSpan Duration, RecordEnd End);

public enum ConnectOutcome { Answered, Busy, NoAnswer, Failed, Rejected, CallerHungUp }

/// <param name="RingTimeout">How long to ring before giving up (NoAnswer).</param>
/// <param name="AcceptDigit">When set (follow-me), the answering party must press this key before being connected,
/// so a voicemail box that picks up does not take the call; <paramref name="AcceptPrompt"/> is played to it first.</param>
public sealed record ConnectOptions(TimeSpan RingTimeout, bool Record = true, string? CallerId = null,
    char? AcceptDigit = null, string? AcceptPrompt = null);

/// <param name="AnsweredBy">The extension or number that answered.</param>
public sealed record ConnectResult(ConnectOutcome Outcome, int Status, string? AnsweredBy);

/// <summary>
/// A destination that runs for calls routed to it: an IVR flow, a queue, voicemail, a conference
/// room, a feature code. Registered per <see cref="RouteTargetKind"/> with the call manager.
/// </summary>
public interface ICallDestination
{
    /// <summary>Runs for one call. The caller has had 100 Trying only; the destination answers when it wants.</summary>
    Task RunAsync(ICallChannel call, RouteTarget target);
}

/// <summary>Calls placed by the switch itself: notification campaigns, click-to-dial, follow-me, callbacks.</summary>
public interface ICallOriginator
{
    /// <summary>Calls <see cref="OriginateRequest.Target"/>; on answer the result carries the answered call's channel.</summary>
    Task<OriginateResult> OriginateAsync(OriginateRequest request, CancellationToken ct = default);
}

public sealed record OriginateRequest(RouteTarget Target, string CallerId, string? CallerName, TimeSpan RingTimeout,
    bool Record = true, IReadOnlyDictionary<string, string>? Variables = null);

public sealed record OriginateResult(ConnectOutcome Outcome, int Status, ICallChannel? Channel);
