
namespace Hotline.Switch.Calls;

/// <summary>How a member takes part in a mixing room.</summary>
public enum MixRole
{
    /// <summary>Hears everyone and is heard by everyone (conference participant, barge-in).</summary>
    Talker,
    /// <summary>Hears everyone, heard by no one (silent monitoring).</summary>
    Listener,
    /// <summary>Hears everyone, heard only by one member (coaching an agent: the citizen does not hear).</summary>
    Whisperer,
}

public enum RoomTone { Join, Leave }

/// <summary>
/// What the contact centre needs from the media engine and call control to mix audio: rooms over the
/// media engine's mixer (<c>Hotline.Media.Mixing.AudioMixer</c>), into which a caller's channel, or both
/// legs of a live two-party call, can be moved. Moving media is invisible in signalling: no re-INVITE,
/// no new dialog, so an agent and caller see nothing when a supervisor joins.
/// </summary>
public interface IConferenceMedia
{
    /// <summary>A new, empty room mixing at <paramref name="sampleRate"/> (8000 or 16000).</summary>
    IMixingRoom CreateRoom(string name, int sampleRate = 16000);
}

public interface IMixingRoom : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Members now in the room.</summary>
    int Count { get; }

    /// <summary>
    /// Moves a call the contact centre holds (answered) into the room: its audio is mixed from now until it
    /// leaves or hangs up. A <see cref="MixRole.Whisperer"/> joins heard by nobody until
    /// <see cref="IMixMember.SetRole"/> names whom it whispers to.
    /// </summary>
    Task<IMixMember> JoinAsync(ICallChannel call, MixRole role, CancellationToken ct = default);

    /// <summary>Plays a prompt file to every member (a recording played into a call).</summary>
    Task PlayAsync(string prompt, CancellationToken ct = default);

    /// <summary>Plays a short tone to every member (someone joined or left).</summary>
    void PlayTone(RoomTone tone);

    /// <summary>Starts recording the mixed room (what a listener hears) to a mono WAV at <paramref name="path"/>.</summary>
    void StartRecording(string path);

    /// <summary>Stops the recording and finalises its WAV header.</summary>
    Task StopRecordingAsync();

    /// <summary>The recording in progress, if any.</summary>
    string? RecordingPath { get; }
}

public interface IMixMember
{
    /// <summary>The call (or the live call's leg) this member carries.</summary>
    string CallId { get; }

    /// <summary>The extension or number at this member's end (for a live call's legs: which is the agent).</summary>
    string Party { get; }

    MixRole Role { get; }

    /// <summary>Heard by nobody while set (hears still).</summary>
    bool Muted { get; set; }

    /// <summary>Changes the role; <paramref name="heardOnlyBy"/> is the member a whisperer is heard by.</summary>
    void SetRole(MixRole role, IMixMember? heardOnlyBy = null);

    /// <summary>Cancelled when the member has left the room (left, kicked, or hung up).</summary>
    CancellationToken Left { get; }

    /// <summary>Takes the member out of the room; its call goes on (back to whoever holds it).</summary>
    Task LeaveAsync();

    /// <summary>Ends the member's call (kick, or the agent dropping out of a warm transfer).</summary>
    Task HangupAsync();
}

/// <summary>A two-party call in progress (an agent with a citizen), as call control sees it.</summary>
/// <param name="Parties">The two ends: caller first, then callee (extension numbers, or numbers for trunk legs).</param>
public sealed record BridgedCall(string CallId, IReadOnlyList<string> Parties, DateTimeOffset Answered, string? RecordingPath);

/// <summary>Live calls: finding them, and moving their media into a room (supervision, three-way, playing a recording).</summary>
public interface ILiveCalls
{
    /// <summary>The answered call the extension is on (as either party), or null.</summary>
    BridgedCall? FindByParty(string extension);

    BridgedCall? Find(string callId);

    /// <summary>
    /// Moves both legs of the live call from their two-party bridge into <paramref name="room"/> (the call's
    /// recording goes on unchanged); returns the members in the order of <see cref="BridgedCall.Parties"/>.
    /// When a leg hangs up it leaves the room; the last talker left in a room the call was moved to is
    /// hung up by call control as if its peer had (no one stays alone in a room by surprise).
    /// </summary>
    Task<IReadOnlyList<IMixMember>> MoveToRoomAsync(string callId, IMixingRoom room, CancellationToken ct = default);

    /// <summary>Blind transfer of the party that is not <paramref name="transferrer"/> to <paramref name="target"/>; the call's variables go with it.</summary>
    Task<bool> TransferAsync(string callId, string transferrer, Hotline.Switch.Routing.RouteTarget target, CancellationToken ct = default);
}
