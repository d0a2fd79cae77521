using Hotline.Switch.Routing;

namespace Hotline.Switch.Calls;

/// <summary>
/// <see cref="ILiveCalls"/> over the call manager: finding an agent's call, moving its media into a
/// mixing room (supervision, three-way, a recording played in) without any signalling, and transfers
/// the switch makes itself.
/// </summary>
public sealed class LiveCalls(CallManager manager, IMediaRooms? rooms) : ILiveCalls
{
    public BridgedCall? FindByParty(string extension) =>
        manager.Calls().Select(c => c.Bridged()).FirstOrDefault(b => b is not null && b.Parties.Contains(extension));

    public BridgedCall? Find(string callId) => manager.Calls().FirstOrDefault(c => c.Id == callId)?.Bridged();

    public Task<IReadOnlyList<IMixMember>> MoveToRoomAsync(string callId, IMixingRoom room, CancellationToken ct = default)
    {
        if (rooms is null) throw new NotSupportedException("the media engine offers no mixing rooms");
        var call = manager.Calls().FirstOrDefault(c => c.Id == callId) ?? throw new InvalidOperationException($"no live call {callId}");
        var moved = new TaskCompletionSource<IReadOnlyList<IMixMember>>(TaskCreationOptions.RunContinuationsAsynchronously);
        call.Post(() => call.MoveIntoRoom(rooms, room, moved, ct));
        return moved.Task.WaitAsync(ct);
    }

    public Task<bool> TransferAsync(string callId, string transferrer, RouteTarget target, CancellationToken ct = default)
    {
        var call = manager.Calls().FirstOrDefault(c => c.Id == callId);
        if (call is null) return Task.FromResult(false);
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        call.Post(() => call.TransferByCommand(transferrer, target, done));
        return done.Task.WaitAsync(ct);
    }
}
