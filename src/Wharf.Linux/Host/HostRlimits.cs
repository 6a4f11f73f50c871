using System.Globalization;

namespace Wharf.Linux.Host;

/// <summary>The daemon's own hard resource limits from /proc/self/limits, keyed by Docker's --ulimit names.
/// A container cannot be given more: raising a hard limit needs CAP_SYS_RESOURCE.</summary>
public static class HostRlimits
{
    private static readonly (string Label, string Name)[] Labels =
    [
        ("Max cpu time", "cpu"), ("Max file size", "fsize"), ("Max data size", "data"), ("Max stack size", "stack"),
        ("Max core file size", "core"), ("Max resident set", "rss"), ("Max processes", "nproc"), ("Max open files", "nofile"),
        ("Max locked memory", "memlock"), ("Max address space", "as"), ("Max file locks", "locks"),
        ("Max pending signals", "sigpending"), ("Max msgqueue size", "msgqueue"), ("Max nice priority", "nice"),
        ("Max realtime priority", "rtprio"), ("Max realtime timeout", "rttime"),
    ];

    public static IReadOnlyDictionary<string, ulong> Read()
    {
        try
        {
            return Parse(File.ReadAllText("/proc/self/limits"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Dictionary<string, ulong>();
        }
    }

    /// <summary>"unlimited" becomes ulong.MaxValue (RLIM_INFINITY).</summary>
    public static Dictionary<string, ulong> Parse(string limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var line in limits.Split('\n'))
        {
            foreach (var (label, name) in Labels)
            {
                if (!line.StartsWith(label + " ", StringComparison.Ordinal)) continue;
                var fields = line[label.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 2) continue;
                if (fields[1] == "unlimited") result[name] = ulong.MaxValue;
                else if (ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hard)) result[name] = hard;
            }
        }
        return result;
    }
}
