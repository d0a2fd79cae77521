namespace Hotline.Media.Engine;

/// <summary>
/// A conference room: endpoints mixed at one rate, each hearing all the others but not itself. Members
/// are moved onto the room's worker when they join (leaving any bridge). Minimal on purpose: the
/// contact-centre features (whisper, listen, barge) build on the <see cref="Mixing.AudioMixer"/> under it.
/// </summary>
public sealed class ConferenceRoom : IAsyncDisposable
{
    private readonly MediaEngine _engine;
    private readonly MediaWorker _worker;
    private readonly Lock _gate = new();
    private readonly HashSet<MediaEndpoint> _members = [];
    private Task? _closed;

    internal ConferenceRoom(MediaEngine engine, string name, ConferenceCore core, MediaWorker worker)
    {
        _engine = engine;
        Name = name;
        Core = core;
        _worker = worker;
    }

    public string Name { get; }
    public int SampleRate => Core.SampleRate;

    internal ConferenceCore Core { get; }

    /// <summary>Endpoints in the room (as asked; joining completes on the room's worker shortly after).</summary>
    public IReadOnlyCollection<MediaEndpoint> Members
    {
        get
        {
            lock (_gate)
                return [.. _members];
        }
    }

    /// <summary>Adds an endpoint; completes once it is in the mix.</summary>
    public Task AddAsync(MediaEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed is not null, this);
            _members.Add(endpoint);
        }
        var joined = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        MediaEngine.Gather(_worker, [endpoint.Leg], _ =>
        {
            if (!endpoint.Leg.IsClosed)
                Core.Add(endpoint.Leg);
            joined.TrySetResult();
        });
        return joined.Task;
    }

    /// <summary>Takes an endpoint out of the room (it stays open); completes once it is out of the mix.</summary>
    public Task RemoveAsync(MediaEndpoint endpoint)
    {
        lock (_gate)
            _members.Remove(endpoint);
        var left = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        MediaEngine.RunOnOwner(endpoint.Leg, worker =>
        {
            if (worker == _worker)
                Core.Remove(endpoint.Leg);
            left.TrySetResult();
        }, () => left.TrySetResult());
        return left.Task;
    }

    /// <summary>Everyone leaves (their endpoints stay open) and the room stops mixing.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
            _closed ??= Close();
        return new ValueTask(_closed);
    }

    private async Task Close()
    {
        if (!_worker.IsStopped)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _worker.Post(() =>
            {
                Core.Clear();
                _worker.RemoveAttachment(Core);
                done.TrySetResult();
            });
            await done.Task.ConfigureAwait(false);
        }
        lock (_gate)
            _members.Clear();
        _engine.Forget(this);
    }
}
