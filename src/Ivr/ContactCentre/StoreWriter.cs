using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.ContactCentre;

/// <summary>
/// Store writes prompted by engine outputs, done in order off the engine's thread (a database write must
/// not hold up queue decisions).
/// </summary>
public sealed class StoreWriter : IAsyncDisposable
{
    private readonly Channel<Action> _work = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public StoreWriter(ILoggerFactory loggers)
    {
        _logger = loggers.CreateLogger("Hotline.Ivr.ContactCentre");
        _loop = Task.Run(RunAsync);
    }

    public void Post(Action write) => _work.Writer.TryWrite(write);

    /// <summary>Completes when every write posted so far is done.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(() => done.SetResult())) done.SetResult();
        return done.Task;
    }

    private async Task RunAsync()
    {
        await foreach (var write in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                write();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "contact-centre store write failed");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }
}
