using Wharf.Engine.Containers;

namespace Wharf.Engine.Builder;

/// <summary>The legacy builder's limits for RUN containers (docker build -m, --memory-swap, -c, --cpu-period,
/// --cpu-quota, --cpuset-cpus, --cpuset-mems, --shm-size, --ulimit, --cgroup-parent): every RUN step's container gets
/// them, as Docker's builder puts them in each step's HostConfig, so the same checks as for `docker run` apply.</summary>
public sealed record BuildResources
{
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long CpuShares { get; init; }
    public long CpuPeriod { get; init; }
    public long CpuQuota { get; init; }
    public string CpusetCpus { get; init; } = "";
    public string CpusetMems { get; init; } = "";
    public long ShmSize { get; init; }
    public IReadOnlyList<UlimitSetting> Ulimits { get; init; } = [];
    public string CgroupParent { get; init; } = "";

    public void ApplyTo(HostSettings host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host.Memory = Memory;
        host.MemorySwap = MemorySwap;
        host.CpuShares = CpuShares;
        host.CpuPeriod = CpuPeriod;
        host.CpuQuota = CpuQuota;
        host.CpusetCpus = CpusetCpus;
        host.CpusetMems = CpusetMems;
        host.ShmSize = ShmSize;
        host.Ulimits = [.. Ulimits];
        host.CgroupParent = CgroupParent;
    }
}
