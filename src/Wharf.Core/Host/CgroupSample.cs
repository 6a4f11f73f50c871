namespace Wharf.Core.Host;

/// <summary>The raw figures of one stats sample, in the units the kernel gives (CPU in nanoseconds, memory in
/// bytes). Missing files leave their figures at zero; the stats endpoint turns this into Docker's JSON shape.</summary>
public sealed record CgroupSample
{
    /// <summary>True when read from the cgroup v2 unified hierarchy (memory stat keys differ).</summary>
    public bool Unified { get; init; }
    public ulong CpuTotalNanos { get; init; }
    public IReadOnlyList<ulong> CpuPerCoreNanos { get; init; } = [];
    public ulong CpuKernelNanos { get; init; }
    public ulong CpuUserNanos { get; init; }
    /// <summary>Host-wide CPU time (all cores, all states) from /proc/stat, in nanoseconds.</summary>
    public ulong SystemCpuNanos { get; init; }
    public uint OnlineCpus { get; init; }
    public ulong ThrottlingPeriods { get; init; }
    public ulong ThrottledPeriods { get; init; }
    public ulong ThrottledTimeNanos { get; init; }
    public ulong MemoryUsage { get; init; }
    public ulong MemoryMaxUsage { get; init; }
    public ulong MemoryFailcnt { get; init; }
    /// <summary>The effective limit: the cgroup's, or the host's memory when unlimited.</summary>
    public ulong MemoryLimit { get; init; }
    public IReadOnlyDictionary<string, ulong> MemoryStats { get; init; } = new Dictionary<string, ulong>();
    public ulong PidsCurrent { get; init; }
    /// <summary>0 when unlimited.</summary>
    public ulong PidsLimit { get; init; }
    public IReadOnlyList<BlkioEntry> IoServiceBytes { get; init; } = [];
    public IReadOnlyList<BlkioEntry> IoServiced { get; init; } = [];
    public IReadOnlyList<NetworkCounters> Networks { get; init; } = [];
}

/// <summary>One line of blkio accounting: device, operation ("read", "write", ...), value.</summary>
public sealed record BlkioEntry(ulong Major, ulong Minor, string Op, ulong Value);

/// <summary>One interface of /proc/&lt;pid&gt;/net/dev.</summary>
public sealed record NetworkCounters(
    string Name,
    ulong RxBytes, ulong RxPackets, ulong RxErrors, ulong RxDropped,
    ulong TxBytes, ulong TxPackets, ulong TxErrors, ulong TxDropped);
