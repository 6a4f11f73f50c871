namespace Wharf.Engine.Execs;

/// <summary>Result of a probe exec (health checks): exit code (-1 when it timed out and was killed) and the
/// first bytes of its combined stdout and stderr.</summary>
public sealed record ExecOutcome(int ExitCode, string Output);
