using System.Globalization;
using Hotline.Ivr.ContactCentre.Mixing;
using Hotline.Switch.Calls;
using Hotline.Switch.Routing;

namespace Hotline.Ivr.ContactCentre.Conference;

public sealed record ConferenceParticipant(string CallId, string Caller, bool Moderator, bool Muted, DateTimeOffset Joined);

public sealed record ConferenceRoomState(string Number, string Name, IReadOnlyList<ConferenceParticipant> Participants, string? RecordingPath);

/// <summary>
/// Conference rooms (<see cref="RouteTargetKind.Conference"/>): a PIN for participants and another for the
/// moderator, join and leave tones, mute (by the panel, or a participant pressing * for themselves), kick,
/// and a recording of the mixed room. Rooms open when the first caller arrives and close when the last leaves.
/// </summary>
public sealed class ConferenceService : ICallDestination
{
    private const int PinAttempts = 3;

    private readonly IContactCentreRepository _repository;
    private readonly IConferenceMedia _media;
    private readonly PromptFiles _files;
    private readonly ContactCentrePrompts _prompts;
    private readonly ContactCentreEvents _events;
    private readonly TimeProvider _time;
    private readonly string _recordingsRoot;
    private readonly Dictionary<string, ActiveRoom> _rooms = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="recordingsRoot">Absolute folder under which room recordings are filed (conference/yyyy/MM/dd/…).</param>
    public ConferenceService(IContactCentreRepository repository, IConferenceMedia media, PromptFiles prompts, ContactCentreEvents events,
        TimeProvider time, string recordingsRoot)
    {
        _repository = repository;
        _media = media;
        _files = prompts;
        _prompts = prompts.Names;
        _events = events;
        _time = time;
        _recordingsRoot = recordingsRoot;
    }

    public async Task RunAsync(ICallChannel call, RouteTarget target)
    {
        try
        {
            await RunCoreAsync(call, target.Value).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.Ended.IsCancellationRequested)
        {
            // Hung up while entering the PIN or waiting for the moderator.
        }
    }

    private async Task RunCoreAsync(ICallChannel call, string number)
    {
        var definition = _repository.FindRoom(number);
        await call.AnswerAsync(call.Ended).ConfigureAwait(false);
        if (definition is null)
        {
            await QueueDestination.EndWithBusyAsync(call).ConfigureAwait(false);
            return;
        }
        var admitted = await AskPinAsync(call, definition).ConfigureAwait(false);
        if (admitted is not { } moderator)
        {
            await call.HangupAsync().ConfigureAwait(false);
            return;
        }
        var room = Enter(definition, out bool full);
        if (full)
        {
            await _files.PlayAsync(call, [_prompts.ConferenceFull], interruptOnDtmf: false, call.Ended).ConfigureAwait(false);
            await call.HangupAsync().ConfigureAwait(false);
            return;
        }
        try
        {
            if (definition.WaitForModerator && !moderator && !room.HasModerator)
            {
                await _files.PlayAsync(call, [_prompts.ConferenceWaitForModerator], interruptOnDtmf: false, call.Ended).ConfigureAwait(false);
                call.StartMusicOnHold();
                await room.ModeratorArrived.WaitAsync(call.Ended).ConfigureAwait(false);
            }
            var member = await room.Media.JoinAsync(call, MixRole.Talker, call.Ended).ConfigureAwait(false);
            // Recording starts before the participant is listed (and before the tone), so the record has it all.
            if (definition.Record && room.Media.RecordingPath is null) room.Media.StartRecording(RecordingPath(definition.Number));
            var participant = room.Add(member, call.Caller, moderator, _time.GetUtcNow());
            if (definition.JoinLeaveTones) room.Media.PlayTone(RoomTone.Join);
            _events.Publish("conference.joined", new { Room = definition.Number, participant.CallId, participant.Caller, participant.Moderator });
            await StayAsync(call, room, member).ConfigureAwait(false);
        }
        finally
        {
            await LeaveAsync(room, call.CallId, definition).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the caller failed the PIN; else whether they are the moderator.</summary>
    private async Task<bool?> AskPinAsync(ICallChannel call, ConferenceRoomDefinition room)
    {
        if (room.Pin.Length == 0 && room.ModeratorPin.Length == 0) return false;
        int longest = Math.Max(room.Pin.Length, room.ModeratorPin.Length);
        for (int attempt = 0; attempt < PinAttempts; attempt++)
        {
            await _files.PlayAsync(call, [_prompts.ConferencePin], interruptOnDtmf: true, call.Ended).ConfigureAwait(false);
            var pin = await call.CollectDigitsAsync(new DigitCollection(0, longest, '#', TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), call.Ended).ConfigureAwait(false);
            if (room.ModeratorPin.Length > 0 && pin == room.ModeratorPin) return true;
            if (pin == room.Pin) return false;
            await _files.PlayAsync(call, [_prompts.ConferenceBadPin], interruptOnDtmf: true, call.Ended).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>In the room until hanging up or being kicked; * toggles one's own mute.</summary>
    private async Task StayAsync(ICallChannel call, ActiveRoom room, IMixMember member)
    {
        using var stay = CancellationTokenSource.CreateLinkedTokenSource(call.Ended, member.Left);
        try
        {
            while (true)
            {
                var key = await call.CollectDigitsAsync(new DigitCollection(1, 1, null, FirstDigitTimeout: TimeSpan.FromHours(1)), stay.Token).ConfigureAwait(false);
                if (key == "*") SetMuted(room, member.CallId, !member.Muted);
            }
        }
        catch (OperationCanceledException)
        {
            // Left the room.
        }
    }

    private ActiveRoom Enter(ConferenceRoomDefinition definition, out bool full)
    {
        lock (_lock)
        {
            if (!_rooms.TryGetValue(definition.Number, out var room))
            {
                room = new ActiveRoom(definition.Number, definition.Name, _media.CreateRoom($"conference-{definition.Number}"));
                _rooms[definition.Number] = room;
            }
            full = room.Entered >= definition.MaxParticipants;
            if (!full) room.Entered++;
            return room;
        }
    }

    private async Task LeaveAsync(ActiveRoom room, string callId, ConferenceRoomDefinition definition)
    {
        var member = room.Remove(callId);
        if (member is not null)
        {
            if (!member.Left.IsCancellationRequested) await member.LeaveAsync().ConfigureAwait(false);
            if (definition.JoinLeaveTones) room.Media.PlayTone(RoomTone.Leave);
            _events.Publish("conference.left", new { Room = room.Number, CallId = callId });
        }
        bool last;
        lock (_lock)
        {
            last = --room.Entered == 0;
            if (last) _rooms.Remove(room.Number);
        }
        if (!last) return;
        if (room.Media.RecordingPath is { } path)
        {
            await room.Media.StopRecordingAsync().ConfigureAwait(false);
            _events.Publish("conference.recorded", new { Room = room.Number, Path = path });
        }
        await room.Media.DisposeAsync().ConfigureAwait(false);
    }

    private string RecordingPath(string number)
    {
        var now = _time.GetUtcNow().ToLocalTime();
        return Path.Combine(_recordingsRoot, "conference", now.ToString("yyyy", CultureInfo.InvariantCulture), now.ToString("MM", CultureInfo.InvariantCulture),
            now.ToString("dd", CultureInfo.InvariantCulture), $"{number}-{now.ToString("HHmmss", CultureInfo.InvariantCulture)}.wav");
    }

    // ---- the panel's view and controls

    public IReadOnlyList<ConferenceRoomState> Rooms()
    {
        lock (_lock) return _rooms.Values.Select(r => r.State()).OrderBy(r => r.Number, StringComparer.Ordinal).ToList();
    }

    public ConferenceRoomState? Room(string number)
    {
        lock (_lock) return _rooms.TryGetValue(number, out var r) ? r.State() : null;
    }

    public bool Mute(string number, string callId, bool muted)
    {
        ActiveRoom? room;
        lock (_lock) _rooms.TryGetValue(number, out room);
        return room is not null && SetMuted(room, callId, muted);
    }

    private bool SetMuted(ActiveRoom room, string callId, bool muted)
    {
        if (!room.SetMuted(callId, muted)) return false;
        _events.Publish("conference.muted", new { Room = room.Number, CallId = callId, Muted = muted });
        return true;
    }

    /// <summary>Hangs up a participant.</summary>
    public async Task<bool> KickAsync(string number, string callId)
    {
        ActiveRoom? room;
        lock (_lock) _rooms.TryGetValue(number, out room);
        if (room?.Member(callId) is not { } member) return false;
        _events.Publish("conference.kicked", new { Room = number, CallId = callId });
        await member.HangupAsync().ConfigureAwait(false);
        return true;
    }

    public bool StartRecording(string number)
    {
        ActiveRoom? room;
        lock (_lock) _rooms.TryGetValue(number, out room);
        if (room is null || room.Media.RecordingPath is not null) return false;
        room.Media.StartRecording(RecordingPath(number));
        _events.Publish("conference.recording", new { Room = number, Path = room.Media.RecordingPath });
        return true;
    }

    public async Task<bool> StopRecordingAsync(string number)
    {
        ActiveRoom? room;
        lock (_lock) _rooms.TryGetValue(number, out room);
        if (room?.Media.RecordingPath is not { } path) return false;
        await room.Media.StopRecordingAsync().ConfigureAwait(false);
        _events.Publish("conference.recorded", new { Room = number, Path = path });
        return true;
    }

    /// <summary>One open room: its media, and who is in it.</summary>
    private sealed class ActiveRoom(string number, string name, IMixingRoom media)
    {
        private readonly List<(IMixMember Member, ConferenceParticipant Participant)> _members = [];
        private readonly TaskCompletionSource _moderator = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Number { get; } = number;
        public IMixingRoom Media { get; } = media;
        /// <summary>Callers admitted (in the room or about to join); guarded by the service's lock.</summary>
        public int Entered;

        public bool HasModerator => _moderator.Task.IsCompleted;
        public Task ModeratorArrived => _moderator.Task;

        public ConferenceParticipant Add(IMixMember member, string caller, bool moderator, DateTimeOffset now)
        {
            var p = new ConferenceParticipant(member.CallId, caller, moderator, member.Muted, now);
            lock (_members) _members.Add((member, p));
            if (moderator) _moderator.TrySetResult();
            return p;
        }

        public IMixMember? Remove(string callId)
        {
            lock (_members)
            {
                int i = _members.FindIndex(m => m.Member.CallId == callId);
                if (i < 0) return null;
                var member = _members[i].Member;
                _members.RemoveAt(i);
                return member;
            }
        }

        public IMixMember? Member(string callId)
        {
            lock (_members) return _members.FirstOrDefault(m => m.Member.CallId == callId).Member;
        }

        public bool SetMuted(string callId, bool muted)
        {
            lock (_members)
            {
                int i = _members.FindIndex(m => m.Member.CallId == callId);
                if (i < 0) return false;
                _members[i].Member.Muted = muted;
                _members[i] = (_members[i].Member, _members[i].Participant with { Muted = muted });
                return true;
            }
        }

        public ConferenceRoomState State()
        {
            lock (_members) return new ConferenceRoomState(Number, name, _members.Select(m => m.Participant).ToList(), Media.RecordingPath);
        }
    }
}
