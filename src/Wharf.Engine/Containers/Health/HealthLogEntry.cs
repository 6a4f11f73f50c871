namespace Wharf.Engine.Containers.Health;

/// <summary>One probe: when it ran, how it ended and what it printed (truncated as Docker truncates it).</summary>
public sealed record HealthLogEntry(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);
