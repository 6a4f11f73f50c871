namespace Wharf.Engine.Builder;

/// <summary>A RUN step that exited non-zero: Docker's message plus the exit code the client reports.</summary>
public sealed class BuildStepException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
