using Microsoft.Extensions.Logging;

namespace Wharf.TestKit;

/// <summary>An ILogger that keeps every entry (level, rendered message, exception), so a test can prove that a
/// failure the code under test swallowed was reported.</summary>
public sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<LogRecord> _entries = [];

    public IReadOnlyList<LogRecord> Entries
    {
        get { lock (_lock) return [.. _entries]; }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        lock (_lock) _entries.Add(new LogRecord(logLevel, formatter(state, exception), exception));
    }
}
