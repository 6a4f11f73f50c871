namespace Wharf.Cli.Output;

/// <summary>docker run's exit codes for failures before the container runs (cli run.go toStatusError).</summary>
internal static class RunExitCodes
{
    public const int DaemonError = 125;
    public const int CannotInvoke = 126;
    public const int NotFound = 127;

    public static int FromErrorMessage(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Contains("executable file not found", StringComparison.Ordinal)
            || message.Contains("no such file or directory", StringComparison.Ordinal)
            || message.Contains("system cannot find the file specified", StringComparison.Ordinal))
        {
            return NotFound;
        }

        if (message.Contains("permission denied", StringComparison.Ordinal)
            || message.Contains("is a directory", StringComparison.Ordinal))
        {
            return CannotInvoke;
        }

        return DaemonError;
    }
}
