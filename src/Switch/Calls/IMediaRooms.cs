namespace Hotline.Switch.Calls;

/// <summary>
/// Mixing rooms over the media engine, for conference rooms, supervision and three-way calls
/// (<see cref="IConferenceMedia"/>), plus moving a live two-party call's media into a room without any
/// signalling. The media engine adapter implements it alongside <see cref="ICallMedia"/>.
/// </summary>
public interface IMediaRooms : IConferenceMedia
{
    /// <summary>
    /// Moves both legs of <paramref name="bridge"/> into <paramref name="room"/> as talkers (caller first):
    /// the bridge stops relaying, its stereo recording goes on (caller left, callee right, each as received),
    /// and each leg's member leaves the room when the leg closes. Returns the members, caller first.
    /// Disposing the bridge afterwards (at hang-up) finalises the recording and leaves the room alone.
    /// <paramref name="hangupLeg"/> is how a member's <see cref="IMixMember.HangupAsync"/> ends its leg's call:
    /// called with 0 for the caller's leg, 1 for the callee's; without it, HangupAsync throws.
    /// </summary>
    Task<IReadOnlyList<IMixMember>> MoveBridgeAsync(IMediaBridge bridge, IMixingRoom room, string callId, string callerParty, string calleeParty,
        CancellationToken ct = default, Func<int, Task>? hangupLeg = null);
}

/// <summary>What a mixing room needs from a call channel to take its audio: the leg, the call and the party at its end.</summary>
internal interface IChannelMedia
{
    IMediaLeg Media { get; }
    string CallId { get; }
    string Party { get; }
}
