using Microsoft.Extensions.Logging;

namespace Hotline.Ivr.Tests.RealPeers;

/// <summary>
/// The switch's and the IVR's log, one line per entry with a timestamp, in the test's artefact folder: what a
/// failed real-peer test is read by.
/// </summary>
internal sealed class FileLog : ILoggerFactory
{
    private readonly StreamWriter _writer;
    private readonly object _lock = new();
    private bool _disposed;

    public FileLog(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the file log has no providers");

    private void Write(string category, LogLevel level, string message, Exception? exception)
    {
        lock (_lock)
        {
            if (_disposed) return;
            _writer.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {level,-11} {category}: {message}");
            if (exception is not null) _writer.WriteLine(exception);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _writer.Dispose();
        }
    }

    private sealed class Logger(FileLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Write(category, logLevel, formatter(state, exception), exception);
    }
}
