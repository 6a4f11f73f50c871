using System.Globalization;
using System.Runtime.InteropServices;
using Wharf.Linux.Mounts;

namespace Wharf.Linux.Host;

/// <summary>Reads <see cref="HostFacts"/> from /proc, /etc/os-release and the cgroup mount.</summary>
public static class HostFactsReader
{
    public static HostFacts Read() => new()
    {
        KernelVersion = ReadTrimmed("/proc/sys/kernel/osrelease") ?? "unknown",
        OperatingSystem = ParsePrettyName(ReadAll("/etc/os-release") ?? ReadAll("/usr/lib/os-release")) ?? "Linux",
        OSType = "linux",
        Architecture = MapArchitecture(RuntimeInformation.OSArchitecture),
        NCPU = Environment.ProcessorCount,
        MemTotal = ParseMemTotal(ReadAll("/proc/meminfo")),
        CgroupVersion = DetectCgroupVersion(MountInfo.ReadSelf()),
        CgroupDriver = "cgroupfs",
        Hostname = ReadTrimmed("/proc/sys/kernel/hostname") ?? Environment.MachineName,
    };

    /// <summary>v2 only when /sys/fs/cgroup itself is cgroup2. A hybrid host (tmpfs with v1 controllers, plus
    /// an empty cgroup2 at /sys/fs/cgroup/unified) is "1": that is where the controllers live.</summary>
    public static string DetectCgroupVersion(IReadOnlyList<MountInfoEntry> mounts)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        MountInfoEntry? top = null;
        foreach (var m in mounts)
        {
            if (m.MountPoint == "/sys/fs/cgroup")
                top = m; // the last one wins: it is the one visible
        }
        return top?.FileSystemType == "cgroup2" ? "2" : "1";
    }

    public static string? ParsePrettyName(string? osRelease)
    {
        if (osRelease is null)
            return null;
        foreach (var raw in osRelease.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                continue;
            var value = line["PRETTY_NAME=".Length..];
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1];
            return value;
        }
        return null;
    }

    /// <summary>"MemTotal:       16384256 kB" -> bytes.</summary>
    public static long ParseMemTotal(string? meminfo)
    {
        if (meminfo is null)
            return 0;
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
                continue;
            var parts = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 1 && long.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
                return parts.Length >= 2 && parts[1] == "kB" ? value * 1024 : value;
        }
        return 0;
    }

    /// <summary>Docker reports uname -m style names.</summary>
    public static string MapArchitecture(Architecture architecture) => architecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x86_64",
        System.Runtime.InteropServices.Architecture.Arm64 => "aarch64",
        System.Runtime.InteropServices.Architecture.X86 => "i686",
        System.Runtime.InteropServices.Architecture.Arm => "armv7l",
        _ => architecture.ToString().ToLowerInvariant(),
    };

    private static string? ReadAll(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadTrimmed(string path) => ReadAll(path)?.Trim();
}
