using Hotline.Media.Engine;

namespace Hotline.Switch.Calls;

/// <summary>
/// <see cref="IMediaRooms"/> over the <see cref="MediaEngine"/>'s conference rooms: a mixing room is an engine
/// room, a member is the engine member of a call's media leg. A channel joins with the leg the switch gave
/// it; a live call's two legs move in from their bridge with its recording. Moving media is invisible in
/// signalling. Members leave when asked, when their leg closes, or when their channel ends.
/// </summary>
public sealed class EngineRooms(MediaEngine engine) : IMediaRooms
{
    public MediaEngine Engine { get; } = engine;

    public IMixingRoom CreateRoom(string name, int sampleRate = 16000) => new Room(Engine.CreateConference(name, sampleRate));

    public async Task<IReadOnlyList<IMixMember>> MoveBridgeAsync(IMediaBridge bridge, IMixingRoom room, string callId, string callerParty,
        string calleeParty, CancellationToken ct = default, Func<int, Task>? hangupLeg = null)
    {
        ArgumentNullException.ThrowIfNull(bridge);
        var engineBridge = EngineCallMedia.BridgeOf(bridge)
            ?? throw new ArgumentException("the bridge was not made by the media engine's call media", nameof(bridge));
        var ours = Ours(room);
        // Once started the move is not abandoned halfway (the legs would be neither bridged nor mixed).
        ct.ThrowIfCancellationRequested();
        var moved = await ours.Conference.MoveBridgeAsync(engineBridge).ConfigureAwait(false);
        return
        [
            new Member(ours, moved[0], callId, callerParty, hangupLeg is null ? null : () => hangupLeg(0)),
            new Member(ours, moved[1], callId, calleeParty, hangupLeg is null ? null : () => hangupLeg(1)),
        ];
    }

    private static Room Ours(IMixingRoom room) => room as Room
        ?? throw new ArgumentException($"room {room?.Name} was not created by the media engine's rooms", nameof(room));

    private static ConferenceRole ToEngine(MixRole role) => role switch
    {
        MixRole.Talker => ConferenceRole.Talker,
        MixRole.Listener => ConferenceRole.Listener,
        MixRole.Whisperer => ConferenceRole.Whisperer,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "no such mixing role"),
    };

    private sealed class Room(ConferenceRoom conference) : IMixingRoom
    {
        public ConferenceRoom Conference { get; } = conference;
        public string Name => Conference.Name;
        public int Count => Conference.Count;
        public string? RecordingPath => Conference.RecordingPath;

        public async Task<IMixMember> JoinAsync(ICallChannel call, MixRole role, CancellationToken ct = default)
        {
            ArgumentNullException.ThrowIfNull(call);
            if (call is not IChannelMedia media)
                throw new ArgumentException($"call {call.CallId} is not one of the switch's channels: only those carry a media leg to mix", nameof(call));
            var endpoint = EngineCallMedia.EndpointOf(media.Media)
                ?? throw new ArgumentException($"call {call.CallId}'s media leg {media.Media.Label} was not created by the media engine", nameof(call));
            ct.ThrowIfCancellationRequested();
            call.Ended.ThrowIfCancellationRequested();
            var joined = await Conference.AddAsync(endpoint, ToEngine(role)).ConfigureAwait(false);
            var member = new Member(this, joined, media.CallId, media.Party, () => call.HangupAsync());
            member.LeaveWhen(call.Ended);
            if (ct.IsCancellationRequested)
            {
                await joined.LeaveAsync().ConfigureAwait(false);
                ct.ThrowIfCancellationRequested();
            }
            return member;
        }

        public async Task PlayAsync(string prompt, CancellationToken ct = default) =>
            await Conference.PlayPromptAsync(prompt, ct).ConfigureAwait(false);

        public void PlayTone(RoomTone tone) => Conference.PlayTone(tone switch
        {
            RoomTone.Join => ConferenceTones.Join,
            RoomTone.Leave => ConferenceTones.Leave,
            _ => throw new ArgumentOutOfRangeException(nameof(tone), tone, "no such room tone"),
        });

        public void StartRecording(string path) => Conference.StartRecording(path);

        public Task StopRecordingAsync() => Conference.StopRecordingAsync();

        public ValueTask DisposeAsync() => Conference.DisposeAsync();

        public override string ToString() => Conference.ToString();
    }

    private sealed class Member(Room room, ConferenceMember inner, string callId, string party, Func<Task>? hangup) : IMixMember
    {
        public string CallId { get; } = callId;
        public string Party { get; } = party;

        public MixRole Role => inner.Role switch
        {
            ConferenceRole.Listener => MixRole.Listener,
            ConferenceRole.Whisperer => MixRole.Whisperer,
            _ => MixRole.Talker,
        };

        public bool Muted
        {
            get => inner.Muted;
            set => inner.Muted = value;
        }

        public CancellationToken Left => inner.Left;

        public void SetRole(MixRole role, IMixMember? heardOnlyBy = null)
        {
            if (heardOnlyBy is not null && (heardOnlyBy is not Member other || other.Owner != room))
                throw new ArgumentException($"{heardOnlyBy.Party} is not a member of {room.Name}", nameof(heardOnlyBy));
            inner.SetRole(ToEngine(role), (heardOnlyBy as Member)?.Inner);
        }

        public Task LeaveAsync() => inner.LeaveAsync();

        public async Task HangupAsync()
        {
            if (hangup is null)
                throw new InvalidOperationException($"{Party} on call {CallId} was moved into {room.Name} without a way to hang its leg up (MoveBridgeAsync's hangupLeg)");
            await hangup().ConfigureAwait(false);
            // The leg closes as the call ends; out of the mix at once rather than when it does.
            await inner.LeaveAsync().ConfigureAwait(false);
        }

        private Room Owner => room;
        private ConferenceMember Inner => inner;

        /// <summary>The channel's end takes the member out at once (its leg may be closed a moment later).</summary>
        public void LeaveWhen(CancellationToken ended)
        {
            var registration = ended.UnsafeRegister(static state => ((ConferenceMember)state!).LeaveAsync(), inner);
            inner.Left.UnsafeRegister(static state => ((CancellationTokenRegistration)state!).Unregister(), registration);
        }

        public override string ToString() => $"{Party} ({CallId}) in {room.Name}";
    }
}
