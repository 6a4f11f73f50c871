using System.Globalization;

namespace Wharf.Daemon.Configuration;

/// <summary>The daemon's own hard RLIMIT_NOFILE, read from /proc/self/limits: containers may not be given more,
/// since raising a limit above the hard one needs CAP_SYS_RESOURCE, which this kind of host does not grant.</summary>
internal static class ResourceLimits
{
    private const ulong DockerDefault = 1048576;

    public static ulong NofileHardLimit()
    {
        try
        {
            return ParseNofileHard(File.ReadAllText("/proc/self/limits")) ?? DockerDefault;
        }
        catch (IOException)
        {
            return DockerDefault;
        }
    }

    public static ulong? ParseNofileHard(string limits)
    {
        foreach (var line in limits.Split('\n'))
        {
            if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
            var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2)
                return fields[1] == "unlimited" ? DockerDefault : ulong.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>cgroup v2 always accounts swap; on v1 the memory controller has memory.memsw.* only when the
    /// kernel was booted with swap accounting.</summary>
    public static bool SwapAccountingEnabled() =>
        File.Exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")
        || (File.Exists("/sys/fs/cgroup/cgroup.controllers") && File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Contains("memory", StringComparison.Ordinal));

    /// <summary>Docker's blkio probe: on cgroup v1 each knob is a file of the blkio controller (weights through CFQ's
    /// blkio.weight or BFQ's blkio.bfq.weight); on v2 the io controller offers them all.</summary>
    public static Engine.Containers.Resources.BlkioSupport BlkioSupport()
    {
        if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
        {
            var io = File.ReadAllText("/sys/fs/cgroup/cgroup.controllers").Split(' ', '\n').Contains("io", StringComparer.Ordinal);
            return new(io, io, io, io, io, io);
        }
        static bool Has(params string[] names) => names.Any(n => File.Exists(Path.Combine("/sys/fs/cgroup/blkio", n)));
        return new(
            Has("blkio.weight", "blkio.bfq.weight"),
            Has("blkio.weight_device", "blkio.bfq.weight_device"),
            Has("blkio.throttle.read_bps_device"),
            Has("blkio.throttle.write_bps_device"),
            Has("blkio.throttle.read_iops_device"),
            Has("blkio.throttle.write_iops_device"));
    }

    /// <summary>The real-time group scheduler exists only on cgroup v1, as cpu.rt_runtime_us in the cpu controller (a
    /// kernel built with CONFIG_RT_GROUP_SCHED); cgroup v2 has no such file, and a hybrid host keeps its cpu controller
    /// in the v1 tree, so looking there answers for every layout.</summary>
    public static bool CpuRealtimeSupported() =>
        File.Exists("/sys/fs/cgroup/cpu/cpu.rt_runtime_us") || File.Exists("/sys/fs/cgroup/cpu,cpuacct/cpu.rt_runtime_us");
}
