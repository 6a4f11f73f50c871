namespace Wharf.Engine.Containers;

/// <summary>Docker's mapping of runtime start errors to the exit codes a shell would give.</summary>
public static class StartErrors
{
    public static int? ExitCodeFor(string runtimeError)
    {
        if (runtimeError.Contains("executable file not found", StringComparison.Ordinal)
            || runtimeError.Contains("no such file or directory", StringComparison.Ordinal))
            return 127;
        if (runtimeError.Contains("permission denied", StringComparison.Ordinal)
            || runtimeError.Contains("is a directory", StringComparison.Ordinal))
            return 126;
        return null;
    }
}
