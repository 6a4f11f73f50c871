using Wharf.Api.Resources;
using Wharf.Core.Host;
using Wharf.Engine.Containers;
using Wharf.Engine.Containers.Store;

namespace Wharf.Daemon.Mapping;

/// <summary>cgroup samples to Docker's stats JSON. The previous sample becomes precpu_stats/preread, which the
/// docker CLI needs for its CPU percentage.</summary>
internal static class StatsMapper
{
    private const string ZeroTime = "0001-01-01T00:00:00Z";

    public static ContainerStatsResponse ToStats(ContainerSnapshot record, CgroupSample? sample, DateTimeOffset read, CgroupSample? previous, DateTimeOffset? preread)
    {
        var stats = new ContainerStatsResponse
        {
            Name = "/" + record.Name,
            Id = record.Id,
            Read = sample is null ? ZeroTime : ContainerMapper.FormatTime(read),
            Preread = previous is null || preread is null ? ZeroTime : ContainerMapper.FormatTime(preread.Value),
            PrecpuStats = previous is null ? new CpuStats() : ToCpu(previous),
        };
        if (sample is null) return stats;
        stats.CpuStats = ToCpu(sample);
        stats.PidsStats = new PidsStats { Current = sample.PidsCurrent, Limit = sample.PidsLimit };
        stats.MemoryStats = new MemoryStats
        {
            Usage = sample.MemoryUsage,
            MaxUsage = sample.Unified ? 0 : sample.MemoryMaxUsage,
            Failcnt = sample.Unified ? 0 : sample.MemoryFailcnt,
            Limit = sample.MemoryLimit,
            Stats = new Dictionary<string, ulong>(sample.MemoryStats, StringComparer.Ordinal),
        };
        stats.BlkioStats = new BlkioStats
        {
            IoServiceBytesRecursive = sample.IoServiceBytes.Select(ToEntry).ToList(),
            IoServicedRecursive = sample.IoServiced.Select(ToEntry).ToList(),
        };
        stats.Networks = sample.Networks.Count == 0 ? null : sample.Networks.ToDictionary(n => n.Name, n => new NetworkStats
        {
            RxBytes = n.RxBytes, RxPackets = n.RxPackets, RxErrors = n.RxErrors, RxDropped = n.RxDropped,
            TxBytes = n.TxBytes, TxPackets = n.TxPackets, TxErrors = n.TxErrors, TxDropped = n.TxDropped,
        }, StringComparer.Ordinal);
        return stats;
    }

    private static CpuStats ToCpu(CgroupSample s) => new()
    {
        CpuUsage = new CpuUsage
        {
            TotalUsage = s.CpuTotalNanos,
            PercpuUsage = s.Unified || s.CpuPerCoreNanos.Count == 0 ? null : [.. s.CpuPerCoreNanos],
            UsageInKernelmode = s.CpuKernelNanos,
            UsageInUsermode = s.CpuUserNanos,
        },
        SystemCpuUsage = s.SystemCpuNanos,
        OnlineCpus = s.OnlineCpus,
        ThrottlingData = new ThrottlingData { Periods = s.ThrottlingPeriods, ThrottledPeriods = s.ThrottledPeriods, ThrottledTime = s.ThrottledTimeNanos },
    };

    private static BlkioStatEntry ToEntry(BlkioEntry e) => new() { Major = e.Major, Minor = e.Minor, Op = e.Op, Value = e.Value };
}
