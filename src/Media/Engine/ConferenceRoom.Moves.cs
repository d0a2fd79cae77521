namespace Hotline.Media.Engine;

// Moving media into the room: bridged calls, and the worker hops every room command takes.
public sealed partial class ConferenceRoom
{
    private readonly Lock _inline = new();

    /// <summary>
    /// Moves both endpoints of <paramref name="bridge"/> into the room as talkers: the bridge stops relaying
    /// for good, and its stereo recording (if any) goes on in the same file from the room's tick, caller left,
    /// callee right, each endpoint's received audio as before. Disposing the bridge afterwards finalises the
    /// recording and leaves the room alone. An empty room first moves to the bridge's worker, so the call's
    /// legs stay where they are and the recording has no gap. Returns the members, caller first.
    /// </summary>
    public async Task<IReadOnlyList<ConferenceMember>> MoveBridgeAsync(MediaBridge bridge)
    {
        ArgumentNullException.ThrowIfNull(bridge);
        // The bridge gathers its legs on one worker as it is made; moving them here before that is over would
        // start a second gathering of the same legs towards another worker, and the two chase each other.
        await bridge.Started.ConfigureAwait(false);
        ConferenceMember caller, callee;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed is not null, this);
            if (_members.ContainsKey(bridge.Caller) || _members.ContainsKey(bridge.Callee))
                throw new InvalidOperationException($"{bridge.Caller.Label} or {bridge.Callee.Label} is already in {Name}");
            caller = new ConferenceMember(this, bridge.Caller, ConferenceRole.Talker);
            callee = new ConferenceMember(this, bridge.Callee, ConferenceRole.Talker);
            _members.Add(bridge.Caller, caller);
            _members.Add(bridge.Callee, callee);
        }
        var moved = new TaskCompletionSource<IReadOnlyList<ConferenceMember>>(TaskCreationOptions.RunContinuationsAsynchronously);
        RunHere(worker =>
        {
            var bridgeWorker = bridge.Caller.Leg.Worker;
            if (Core.IsEmpty && bridgeWorker is not null && bridgeWorker != worker && !bridgeWorker.IsStopped
                && bridge.Callee.Leg.Worker == bridgeWorker)
                Relocate(worker, bridgeWorker);
            GatherHere([bridge.Caller.Leg, bridge.Callee.Leg], _ =>
            {
                var (callerCore, calleeCore) = Core.AdoptCall(bridge.Core, caller, callee);
                Adopted(caller, callerCore);
                Adopted(callee, calleeCore);
                moved.TrySetResult([caller, callee]);
            });
        });
        return await moved.Task.ConfigureAwait(false);
    }

    private static void Adopted(ConferenceMember member, ConferenceCore.Member? core)
    {
        if (core is null || core.Handle != member || member.HasLeft)
        {
            member.OnLeft();
            return;
        }
        member.Core = core;
    }

    /// <summary>
    /// The room's worker: an empty room moves to <paramref name="to"/> (its sounds and recording go with it).
    /// Commands already posted to <paramref name="from"/> follow it there.
    /// </summary>
    private void Relocate(MediaWorker from, MediaWorker to)
    {
        from.RemoveAttachment(Core);
        _worker = to;
        to.Post(() => to.AddAttachment(Core));
    }

    /// <summary>Runs <paramref name="action"/> on the room's worker, following the room if it moves meanwhile.</summary>
    private void RunHere(Action<MediaWorker> action)
    {
        var worker = _worker;
        if (worker.IsStopped)
        {
            // The engine is shutting down: nothing ticks the room any more, so it is safe here, one at a time.
            lock (_inline)
                action(worker);
            return;
        }
        worker.Post(() =>
        {
            if (_worker == worker)
                action(worker);
            else
                RunHere(action);
        });
    }

    /// <summary>Moves <paramref name="legs"/> onto the room's worker, then runs <paramref name="then"/> there.</summary>
    private void GatherHere(RtpLeg[] legs, Action<MediaWorker> then)
    {
        var target = _worker;
        if (target.IsStopped)
        {
            RunHere(then);
            return;
        }
        MediaEngine.Gather(target, legs, worker =>
        {
            if (_worker == worker)
                then(worker);
            else
                GatherHere(legs, then);
        });
    }
}
