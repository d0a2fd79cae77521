using Hotline.Media.Engine;

namespace Hotline.Media.Tests.Engine;

/// <summary>Where endpoints go: the least loaded worker, or beside the call's other leg when asked.</summary>
public sealed class EndpointPlacementTests
{
    [Fact]
    public async Task A_leg_made_near_another_shares_its_worker_and_the_next_call_goes_to_the_idle_one()
    {
        await using var engine = new MediaEngine(LoopbackEngine.Options(workers: 2));
        await using var caller = engine.CreateEndpoint("caller");
        await using var callee = engine.CreateEndpoint("callee", near: caller);
        await using var next = engine.CreateEndpoint("next caller");

        Assert.Same(caller.Leg.Worker, callee.Leg.Worker);
        Assert.NotSame(caller.Leg.Worker, next.Leg.Worker);
        Assert.Equal([2, 1], engine.GetStatistics().LegsPerWorker.Order().Reverse());
    }
}
