using Microsoft.Extensions.Logging;

namespace Wharf.TestKit;

/// <summary>One entry a <see cref="RecordingLogger{T}"/> kept.</summary>
public sealed record LogRecord(LogLevel Level, string Message, Exception? Exception);
