namespace Wharf.Engine.Containers.Resources;

/// <summary>docker update: zero (or null) means "leave as it is", as in Docker's API; only the resource limits
/// and the restart policy can change.</summary>
public sealed class ContainerUpdate
{
    public long Memory { get; init; }
    public long MemorySwap { get; init; }
    public long MemoryReservation { get; init; }
    public long NanoCpus { get; init; }
    public long CpuShares { get; init; }
    public long CpuQuota { get; init; }
    public long CpuPeriod { get; init; }
    public string? CpusetCpus { get; init; }
    public string? CpusetMems { get; init; }
    /// <summary>Null: unchanged; 0 or -1: unlimited.</summary>
    public long? PidsLimit { get; init; }
    public int BlkioWeight { get; init; }
    /// <summary>--cpu-rt-period / --cpu-rt-runtime in microseconds; 0: unchanged.</summary>
    public long CpuRealtimePeriod { get; init; }
    public long CpuRealtimeRuntime { get; init; }
    /// <summary>Null or "": unchanged.</summary>
    public string? RestartPolicy { get; init; }
    public int RestartMaxRetries { get; init; }
}
