using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Core;

/// <summary>
/// Runs posted work one item at a time, in order, on the thread pool: the "one logical thread per
/// call" of the architecture. State touched only from posted work needs no locks, and no thread is
/// held while a call waits for something.
/// </summary>
public sealed class SerialExecutor : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<Action> _queue = new();
    private readonly ILogger _logger;
    private readonly Action<Exception>? _onFault;
    private int _running;

    /// <param name="onFault">Runs (on the executor) after a work item threw: the owner puts its state right, e.g. a
    /// call hangs up rather than staying half set up with its ports held.</param>
    public SerialExecutor(ILogger logger, Action<Exception>? onFault = null)
    {
        _logger = logger;
        _onFault = onFault;
    }

    public void Post(Action work)
    {
        _queue.Enqueue(work);
        // Queued as itself (no work item allocated per drain).
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    private void Recover(Exception fault)
    {
        if (_onFault is null) return;
        try
        {
            _onFault(fault);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "recovering from a failed call event failed too");
        }
    }

    void IThreadPoolWorkItem.Execute() => Drain();

    private void Drain()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var work))
            {
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "call event failed");
                    Recover(e);
                }
            }
            Volatile.Write(ref _running, 0);
            // Work posted between the last dequeue and clearing the flag must not be stranded.
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        }
    }
}
