using System.Globalization;

namespace Wharf.Linux.Cgroups;

/// <summary>Tells whether the kernel's OOM killer struck inside a process's memory cgroup. Located from
/// /proc/&lt;pid&gt;/cgroup while the process lives; read after it exited but before the cgroup is removed.
/// v1: memory.oom_control "oom_kill N"; v2: memory.events "oom_kill N".</summary>
public sealed class OomCounter
{
    private readonly string _file;

    private OomCounter(string file) => _file = file;

    /// <summary>The counter file for <paramref name="pid"/>'s memory cgroup, or null when none can be found.</summary>
    public static OomCounter? ForProcess(int pid, string cgroupRoot = "/sys/fs/cgroup", string procRoot = "/proc")
    {
        var text = CgroupFiles.ReadText(Path.Combine(procRoot, pid.ToString(CultureInfo.InvariantCulture), "cgroup"));
        var file = Locate(text, cgroupRoot, File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers")));
        return file is null ? null : new OomCounter(file);
    }

    /// <summary>The file to read for a /proc/&lt;pid&gt;/cgroup text: the v1 memory line wins; on a unified host the
    /// "0::" line.</summary>
    public static string? Locate(string? procCgroup, string cgroupRoot, bool unified)
    {
        if (procCgroup is null) return null;
        foreach (var line in procCgroup.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            if (!unified && parts[1].Split(',').Contains("memory"))
                return Path.Combine(cgroupRoot, "memory", parts[2].TrimStart('/'), "memory.oom_control");
            if (unified && parts[0] == "0" && parts[1].Length == 0)
                return Path.Combine(cgroupRoot, parts[2].TrimStart('/'), "memory.events");
        }
        return null;
    }

    public string FilePath => _file;

    /// <summary>How many processes the OOM killer has killed in the cgroup so far (0 if unreadable).</summary>
    public ulong Kills() => CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(_file)).GetValueOrDefault("oom_kill");
}
