using Microsoft.Extensions.Logging;

namespace Hotline.Switch.Tests.Calls;

/// <summary>Collects error logs so a test can show what went wrong inside posted work.</summary>
internal sealed class TestLoggers : ILoggerFactory, ILoggerProvider
{
    public List<string> Errors { get; } = [];

    public ILogger CreateLogger(string categoryName) => new Logger(this);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class Logger(TestLoggers owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Information) return;
            lock (owner.Errors) owner.Errors.Add(formatter(state, exception) + " " + exception);
        }
    }
}
