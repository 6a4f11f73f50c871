namespace Wharf.Linux.Exec;

/// <summary>The environment runc gives an exec'd process: it clears its own, sets each KEY=VALUE of the spec in order
/// (a later duplicate overwrites the earlier value in place, Go's os.Setenv), refuses entries without '=' or with an
/// empty name, and appends HOME (the user's home from the container's /etc/passwd, "/" when absent) if unset.</summary>
public static class ProcessEnvironment
{
    public static (List<string>? Env, string? Error) Build(IEnumerable<string> spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in spec)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
                return (null, "invalid environment variable: missing '='");
            var key = pair[..eq];
            if (key.Length == 0)
                return (null, "invalid environment variable: name cannot be empty");
            if (pair.Contains('\0', StringComparison.Ordinal))
                return (null, $"invalid environment variable {key}: contains nul byte (\\x00)");
            if (!values.ContainsKey(key))
                order.Add(key);
            values[key] = pair[(eq + 1)..];
        }
        return (order.Select(k => k + "=" + values[k]).ToList(), null);
    }

    /// <summary>The value of <paramref name="key"/> in a built environment, or null.</summary>
    public static string? Get(IEnumerable<string> env, string key)
    {
        ArgumentNullException.ThrowIfNull(env);
        var prefix = key + "=";
        return env.FirstOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    /// <summary>The home directory of <paramref name="uid"/> in passwd text (first match wins, as runc's parser);
    /// "/" when there is no entry.</summary>
    public static string HomeOf(uint uid, string? passwd)
    {
        foreach (var line in (passwd ?? "").Split('\n'))
        {
            var fields = line.Trim().Split(':');
            if (fields.Length >= 6 && uint.TryParse(fields[2], out var u) && u == uid)
                return fields[5];
        }
        return "/";
    }
}
