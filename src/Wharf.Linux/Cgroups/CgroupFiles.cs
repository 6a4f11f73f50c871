using System.Globalization;

namespace Wharf.Linux.Cgroups;

/// <summary>Parsers for the small text formats of cgroup and /proc files. Missing or unreadable files read as
/// empty: a controller that is not mounted simply contributes no figures.</summary>
internal static class CgroupFiles
{
    public static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A single number; "max" (v2's unlimited) and anything unparsable give null.</summary>
    public static ulong? ReadNumber(string path) => ParseNumber(ReadText(path));

    public static ulong? ParseNumber(string? text)
    {
        if (text is null) return null;
        var trimmed = text.Trim();
        return ulong.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>"key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.events, memory.oom_control).</summary>
    public static Dictionary<string, ulong> ParseKeyValues(string? text)
    {
        var result = new Dictionary<string, ulong>(StringComparer.Ordinal);
        if (text is null) return result;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                result[parts[0]] = value;
        }
        return result;
    }

    /// <summary>Space-separated numbers (cpuacct.usage_percpu).</summary>
    public static List<ulong> ParseNumberList(string? text)
    {
        var result = new List<ulong>();
        if (text is null) return result;
        foreach (var field in text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (ulong.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
                result.Add(value);
        }
        return result;
    }

    /// <summary>v1 blkio "MAJ:MIN Op value" lines; the per-device "Total" lines and the trailing
    /// "Total N" line are dropped as Docker does not report them.</summary>
    public static List<Core.Host.BlkioEntry> ParseBlkioV1(string? text)
    {
        var result = new List<Core.Host.BlkioEntry>();
        if (text is null) return result;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || parts[1] == "Total") continue;
            if (!TryParseDevice(parts[0], out var major, out var minor)) continue;
            if (!ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
            result.Add(new Core.Host.BlkioEntry(major, minor, parts[1], value));
        }
        return result;
    }

    /// <summary>v2 io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N dbytes=N dios=N" becomes Docker's
    /// lower-case "read"/"write" entries for bytes and for operations.</summary>
    public static (List<Core.Host.BlkioEntry> Bytes, List<Core.Host.BlkioEntry> Ios) ParseIoStatV2(string? text)
    {
        var bytes = new List<Core.Host.BlkioEntry>();
        var ios = new List<Core.Host.BlkioEntry>();
        if (text is null) return (bytes, ios);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2 || !TryParseDevice(parts[0], out var major, out var minor)) continue;
            foreach (var pair in parts.Skip(1))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq < 0 || !ulong.TryParse(pair.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) continue;
                switch (pair[..eq])
                {
                    case "rbytes": bytes.Add(new(major, minor, "read", value)); break;
                    case "wbytes": bytes.Add(new(major, minor, "write", value)); break;
                    case "rios": ios.Add(new(major, minor, "read", value)); break;
                    case "wios": ios.Add(new(major, minor, "write", value)); break;
                }
            }
        }
        return (bytes, ios);
    }

    /// <summary>/proc/&lt;pid&gt;/net/dev: two header lines, then "name: 16 counters". Loopback is left out, as Docker
    /// reports only the container's real interfaces.</summary>
    public static List<Core.Host.NetworkCounters> ParseNetDev(string? text)
    {
        var result = new List<Core.Host.NetworkCounters>();
        if (text is null) return result;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) continue;
            var name = line[..colon].Trim();
            if (name.Length == 0 || name == "lo") continue;
            var fields = line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 16) continue;
            var n = new ulong[16];
            var ok = true;
            for (var i = 0; i < 16 && ok; i++)
                ok = ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out n[i]);
            if (!ok) continue;
            result.Add(new Core.Host.NetworkCounters(name, n[0], n[1], n[2], n[3], n[8], n[9], n[10], n[11]));
        }
        return result;
    }

    /// <summary>/proc/stat: the host's total CPU time (user..softirq, as Docker sums it) in nanoseconds, and the
    /// number of "cpuN" lines (online CPUs).</summary>
    public static (ulong SystemNanos, uint OnlineCpus) ParseProcStat(string? text, long ticksPerSecond = 100)
    {
        if (text is null) return (0, 0);
        ulong total = 0;
        uint cpus = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                for (var i = 1; i < Math.Min(8, fields.Length); i++)
                {
                    if (ulong.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)) total += ticks;
                }
            }
            else if (line.StartsWith("cpu", StringComparison.Ordinal) && line.Length > 3 && char.IsAsciiDigit(line[3]))
            {
                cpus++;
            }
        }
        return (total * (1_000_000_000UL / (ulong)ticksPerSecond), cpus);
    }

    /// <summary>MemTotal from /proc/meminfo, in bytes.</summary>
    public static ulong ParseMemTotal(string? meminfo)
    {
        if (meminfo is null) return 0;
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal)) continue;
            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib)) return kib * 1024;
        }
        return 0;
    }

    private static bool TryParseDevice(string text, out ulong major, out ulong minor)
    {
        minor = 0;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return ulong.TryParse(text.AsSpan(0, Math.Max(colon, 0)), NumberStyles.None, CultureInfo.InvariantCulture, out major)
            & ulong.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out minor)
            && colon > 0;
    }
}
