using System.Globalization;
using Wharf.Core.Host;

namespace Wharf.Linux.Cgroups;

/// <summary>Reads container cgroups on either layout, detected once from the cgroup root: cgroup v2 (unified,
/// <c>&lt;root&gt;/&lt;path&gt;</c>) when the root holds cgroup.controllers, else v1 (one hierarchy per
/// controller: <c>&lt;root&gt;/&lt;controller&gt;/&lt;path&gt;</c>, as on this hybrid host). Roots are parameters so
/// tests can point them at fixture trees.</summary>
public sealed class CgroupReader : ICgroupReader
{
    /// <summary>USER_HZ: the unit of cpuacct.stat and /proc/stat. 100 on every Linux architecture we run on.</summary>
    private const ulong TicksPerSecond = 100;
    private const ulong NanosPerTick = 1_000_000_000 / TicksPerSecond;

    private readonly string _cgroupRoot;
    private readonly string _procRoot;

    public CgroupReader(string cgroupRoot = "/sys/fs/cgroup", string procRoot = "/proc")
    {
        _cgroupRoot = cgroupRoot;
        _procRoot = procRoot;
        Unified = File.Exists(Path.Combine(cgroupRoot, "cgroup.controllers"));
    }

    /// <summary>True on a cgroup v2 host.</summary>
    public bool Unified { get; }

    public CgroupSample Sample(string cgroupsPath, int pid)
    {
        ArgumentNullException.ThrowIfNull(cgroupsPath);
        var sample = Unified ? SampleV2(cgroupsPath) : SampleV1(cgroupsPath);
        var (systemNanos, cpus) = CgroupFiles.ParseProcStat(CgroupFiles.ReadText(Path.Combine(_procRoot, "stat")));
        var hostMemory = CgroupFiles.ParseMemTotal(CgroupFiles.ReadText(Path.Combine(_procRoot, "meminfo")));
        var networks = pid > 0
            ? CgroupFiles.ParseNetDev(CgroupFiles.ReadText(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "net", "dev")))
            : [];
        return sample with
        {
            SystemCpuNanos = systemNanos,
            OnlineCpus = cpus,
            // An unlimited cgroup reports a huge number: Docker shows the host's memory instead.
            MemoryLimit = hostMemory > 0 && (sample.MemoryLimit == 0 || sample.MemoryLimit > hostMemory) ? hostMemory : sample.MemoryLimit,
            Networks = networks,
        };
    }

    public IReadOnlyList<int> Pids(string cgroupsPath)
    {
        ArgumentNullException.ThrowIfNull(cgroupsPath);
        var dir = Unified ? Dir(cgroupsPath) : Dir("pids", cgroupsPath);
        var text = CgroupFiles.ReadText(Path.Combine(dir, "cgroup.procs"));
        if (text is null && !Unified) text = CgroupFiles.ReadText(Path.Combine(Dir("memory", cgroupsPath), "cgroup.procs"));
        return CgroupFiles.ParseNumberList(text).Select(p => (int)p).ToList();
    }

    private CgroupSample SampleV1(string path)
    {
        var cpuacct = Dir("cpuacct", path);
        var cpu = Dir("cpu", path);
        var memory = Dir("memory", path);
        var pids = Dir("pids", path);
        var blkio = Dir("blkio", path);
        var cpuTicks = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(cpuacct, "cpuacct.stat")));
        var throttling = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(cpu, "cpu.stat")));
        var memoryStats = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(memory, "memory.stat")));
        return new CgroupSample
        {
            Unified = false,
            CpuTotalNanos = CgroupFiles.ReadNumber(Path.Combine(cpuacct, "cpuacct.usage")) ?? 0,
            CpuPerCoreNanos = CgroupFiles.ParseNumberList(CgroupFiles.ReadText(Path.Combine(cpuacct, "cpuacct.usage_percpu"))),
            CpuUserNanos = cpuTicks.GetValueOrDefault("user") * NanosPerTick,
            CpuKernelNanos = cpuTicks.GetValueOrDefault("system") * NanosPerTick,
            ThrottlingPeriods = throttling.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = throttling.GetValueOrDefault("nr_throttled"),
            ThrottledTimeNanos = throttling.GetValueOrDefault("throttled_time"),
            MemoryUsage = CgroupFiles.ReadNumber(Path.Combine(memory, "memory.usage_in_bytes")) ?? 0,
            MemoryMaxUsage = CgroupFiles.ReadNumber(Path.Combine(memory, "memory.max_usage_in_bytes")) ?? 0,
            MemoryFailcnt = CgroupFiles.ReadNumber(Path.Combine(memory, "memory.failcnt")) ?? 0,
            MemoryLimit = CgroupFiles.ReadNumber(Path.Combine(memory, "memory.limit_in_bytes")) ?? 0,
            MemoryStats = memoryStats,
            PidsCurrent = CgroupFiles.ReadNumber(Path.Combine(pids, "pids.current")) ?? 0,
            PidsLimit = CgroupFiles.ReadNumber(Path.Combine(pids, "pids.max")) ?? 0,
            // The CFQ files are empty under blk-mq; the throttle files count every request, as runc falls back.
            IoServiceBytes = FirstNonEmpty(
                CgroupFiles.ParseBlkioV1(CgroupFiles.ReadText(Path.Combine(blkio, "blkio.io_service_bytes_recursive"))),
                CgroupFiles.ParseBlkioV1(CgroupFiles.ReadText(Path.Combine(blkio, "blkio.throttle.io_service_bytes_recursive")))),
            IoServiced = FirstNonEmpty(
                CgroupFiles.ParseBlkioV1(CgroupFiles.ReadText(Path.Combine(blkio, "blkio.io_serviced_recursive"))),
                CgroupFiles.ParseBlkioV1(CgroupFiles.ReadText(Path.Combine(blkio, "blkio.throttle.io_serviced_recursive")))),
        };
    }

    private CgroupSample SampleV2(string path)
    {
        var dir = Dir(path);
        var cpu = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(dir, "cpu.stat")));
        var (bytes, ios) = CgroupFiles.ParseIoStatV2(CgroupFiles.ReadText(Path.Combine(dir, "io.stat")));
        var events = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(dir, "memory.events")));
        return new CgroupSample
        {
            Unified = true,
            CpuTotalNanos = cpu.GetValueOrDefault("usage_usec") * 1000,
            CpuUserNanos = cpu.GetValueOrDefault("user_usec") * 1000,
            CpuKernelNanos = cpu.GetValueOrDefault("system_usec") * 1000,
            ThrottlingPeriods = cpu.GetValueOrDefault("nr_periods"),
            ThrottledPeriods = cpu.GetValueOrDefault("nr_throttled"),
            ThrottledTimeNanos = cpu.GetValueOrDefault("throttled_usec") * 1000,
            MemoryUsage = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.current")) ?? 0,
            MemoryMaxUsage = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.peak")) ?? 0,
            MemoryFailcnt = events.GetValueOrDefault("max"),
            MemoryLimit = CgroupFiles.ReadNumber(Path.Combine(dir, "memory.max")) ?? 0,
            MemoryStats = CgroupFiles.ParseKeyValues(CgroupFiles.ReadText(Path.Combine(dir, "memory.stat"))),
            PidsCurrent = CgroupFiles.ReadNumber(Path.Combine(dir, "pids.current")) ?? 0,
            PidsLimit = CgroupFiles.ReadNumber(Path.Combine(dir, "pids.max")) ?? 0,
            IoServiceBytes = bytes,
            IoServiced = ios,
        };
    }

    private static List<BlkioEntry> FirstNonEmpty(List<BlkioEntry> first, List<BlkioEntry> second) => first.Count > 0 ? first : second;

    private string Dir(string cgroupsPath) => Path.Combine(_cgroupRoot, cgroupsPath.TrimStart('/'));

    private string Dir(string controller, string cgroupsPath) => Path.Combine(_cgroupRoot, controller, cgroupsPath.TrimStart('/'));
}
