namespace Wharf.Daemon.Logging;

/// <summary>A logger handed to services composed before the host is built (their constructors need one; the logger
/// factory exists only after <c>builder.Build()</c>). Forwards to <see cref="Target"/> once set; nothing is logged
/// before (the services it is given to log nothing until they are started).</summary>
internal sealed class DeferredLogger : ILogger
{
    public ILogger? Target { get; set; }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => Target?.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => Target?.IsEnabled(logLevel) ?? false;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Target?.Log(logLevel, eventId, state, exception, formatter);
}
