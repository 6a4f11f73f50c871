namespace Wharf.Cli.Parsing;

/// <summary>Reads docker --env-file and --label-file files: KEY=VALUE lines, '#' comments; a bare KEY is taken from our
/// environment for --env-file, and kept as it is (an empty label) when there is no lookup, as docker reads label files.</summary>
internal static class EnvFile
{
    public static List<string> Parse(IEnumerable<string> lines, Func<string, string?>? lookup)
    {
        ArgumentNullException.ThrowIfNull(lines);
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
                if (lookup is null)
                {
                    result.Add(name);
                    continue;
                }

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
