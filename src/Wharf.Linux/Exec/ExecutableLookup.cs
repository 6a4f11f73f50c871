namespace Wharf.Linux.Exec;

/// <summary>Go's exec.LookPath (go1.19, the Go runc 1.1 is built with) and its error wording, which runc passes on
/// verbatim and the docker CLI shows: a name with a slash is checked as is; a bare name is searched in the
/// process's PATH (empty entries mean "."), and a hit relative to the current directory is refused. Runs inside the
/// container's mount namespace, so paths resolve in the container's root.</summary>
public static class ExecutableLookup
{
    /// <summary>The path to execute, or the error message runc would give. <paramref name="probe"/> is Go's
    /// findExecutable: null when the path is a non-directory with any x bit, else the error text
    /// ("permission denied", or "stat PATH: no such file or directory" when stat itself failed).</summary>
    public static (string? Path, string? Error) Find(string file, string? pathVariable, Func<string, string?> probe)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(probe);
        if (file.Contains('/', StringComparison.Ordinal))
        {
            var error = probe(file);
            return error is null ? (file, null) : (null, $"exec: \"{file}\": {error}");
        }
        // filepath.SplitList: an empty PATH has no entries at all (not one "." entry).
        foreach (var entry in string.IsNullOrEmpty(pathVariable) ? [] : pathVariable.Split(':'))
        {
            var dir = entry.Length == 0 ? "." : entry;
            var candidate = Join(dir, file);
            if (probe(candidate) is not null)
                continue;
            if (!candidate.StartsWith('/'))
                return (null, $"exec: \"{file}\": cannot run executable found relative to current directory");
            return (candidate, null);
        }
        return (null, $"exec: \"{file}\": executable file not found in $PATH");
    }

    /// <summary>filepath.Join: cleans the result ("./x" → "x", "/bin/" + "x" → "/bin/x").</summary>
    private static string Join(string dir, string file)
    {
        var joined = dir.TrimEnd('/') + "/" + file;
        if (dir == "/")
            joined = "/" + file;
        while (joined.StartsWith("./", StringComparison.Ordinal))
            joined = joined[2..];
        return joined;
    }
}
