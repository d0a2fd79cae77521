using Hotline.Switch.Calls;

namespace Hotline.Admin.Tests;

/// <summary>
/// Call origination and live-call control for the IVR and the contact centre under test: nobody answers, and
/// no call is bridged (these tests are about configuration through the panel and the API, not media).
/// </summary>
internal sealed class FakeCalls : ICallOriginator, ILiveCalls
{
    public List<OriginateRequest> Originated { get; } = [];

    public Task<OriginateResult> OriginateAsync(OriginateRequest request, CancellationToken ct = default)
    {
        lock (Originated) Originated.Add(request);
        return Task.FromResult(new OriginateResult(ConnectOutcome.NoAnswer, 480, null));
    }

    public BridgedCall? FindByParty(string extension) => null;

    public BridgedCall? Find(string callId) => null;

    public Task<IReadOnlyList<IMixMember>> MoveToRoomAsync(string callId, IMixingRoom room, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<IMixMember>>([]);

    public Task<bool> TransferAsync(string callId, string transferrer, Hotline.Switch.Routing.RouteTarget target, CancellationToken ct = default) => Task.FromResult(false);
}
