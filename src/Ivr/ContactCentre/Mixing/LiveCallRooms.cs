using Hotline.Switch.Calls;
using System.Collections.Concurrent;

namespace Hotline.Ivr.ContactCentre.Mixing;

/// <summary>A live call moved into a room, with the members that carry its two parties.</summary>
public sealed class LiveRoom
{
    internal LiveRoom(BridgedCall call, IMixingRoom room, IReadOnlyList<IMixMember> parties)
    {
        Call = call;
        Room = room;
        Parties = parties;
    }

    public BridgedCall Call { get; }
    public IMixingRoom Room { get; }
    public IReadOnlyList<IMixMember> Parties { get; }

    /// <summary>The member at <paramref name="party"/>'s end of the call, or null.</summary>
    public IMixMember? PartyAt(string party) => Parties.FirstOrDefault(m => m.Party == party);

    /// <summary>The member at the other end from <paramref name="party"/>.</summary>
    public IMixMember? OtherThan(string party) => Parties.FirstOrDefault(m => m.Party != party);
}

/// <summary>
/// One room per live call, shared by everything that joins it (supervisors, a department in a three-way,
/// a recording played in). The call is moved into it on first use; the room is closed when both of the
/// call's parties have left.
/// </summary>
public sealed class LiveCallRooms
{
    private readonly ILiveCalls _calls;
    private readonly IConferenceMedia _media;
    private readonly ConcurrentDictionary<string, Lazy<Task<LiveRoom?>>> _rooms = new(StringComparer.Ordinal);

    public LiveCallRooms(ILiveCalls calls, IConferenceMedia media)
    {
        _calls = calls;
        _media = media;
    }

    public ILiveCalls Calls => _calls;

    /// <summary>Live calls currently moved into rooms.</summary>
    public int Open => _rooms.Count;

    /// <summary>The room of the bridged call <paramref name="party"/> is on, moving the call into one if needed; null when they are on no call.</summary>
    public Task<LiveRoom?> OpenForPartyAsync(string party, CancellationToken ct = default) =>
        _calls.FindByParty(party) is { } call ? OpenAsync(call, ct) : Task.FromResult<LiveRoom?>(null);

    public Task<LiveRoom?> OpenAsync(BridgedCall call, CancellationToken ct = default)
    {
        // Lazy: two supervisors joining at once must not move the same call twice.
        var lazy = _rooms.GetOrAdd(call.CallId, _ => new Lazy<Task<LiveRoom?>>(() => MoveAsync(call, ct)));
        return lazy.Value;
    }

    private async Task<LiveRoom?> MoveAsync(BridgedCall call, CancellationToken ct)
    {
        var room = _media.CreateRoom($"call-{call.CallId}");
        try
        {
            var parties = await _calls.MoveToRoomAsync(call.CallId, room, ct).ConfigureAwait(false);
            var live = new LiveRoom(call, room, parties);
            int left = 0;
            foreach (var member in parties)
            {
                member.Left.Register(() =>
                {
                    if (Interlocked.Increment(ref left) != parties.Count) return;
                    _rooms.TryRemove(call.CallId, out _);
                    _ = room.DisposeAsync().AsTask();
                });
            }
            return live;
        }
        catch
        {
            _rooms.TryRemove(call.CallId, out _);
            await room.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
