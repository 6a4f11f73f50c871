namespace Wharf.Cli.Parsing;

/// <summary>Reads docker --env-file files: KEY=VALUE lines, '#' comments, bare KEY taken from our environment.</summary>
internal static class EnvFile
{
    public static List<string> Parse(IEnumerable<string> lines, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(lookup);
        var result = new List<string>();
        foreach (var raw in lines)
        {
            var line = raw.TrimStart();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0)
            {
                throw new CliUsageException($"invalid environment variable: {line}", 125);
            }

            if (eq > 0)
            {
                result.Add(line);
            }
            else
            {
                var name = line.TrimEnd();
                var value = lookup(name);
                if (value is not null)
                {
                    result.Add(name + "=" + value);
                }
            }
        }

        return result;
    }

    /// <summary>-e NAME without '=' copies NAME from our environment (dropped when unset), like docker.</summary>
    public static string? ExpandEnvArg(string arg, Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(arg);
        ArgumentNullException.ThrowIfNull(lookup);
        if (arg.Contains('=', StringComparison.Ordinal))
        {
            return arg;
        }

        var value = lookup(arg);
        return value is null ? null : arg + "=" + value;
    }
}
