using Wharf.Api.Containers;

namespace Wharf.Api.Resources;

/// <summary>POST /containers/{id}/update: the Resources fields of HostConfig plus RestartPolicy. Zero means
/// "unchanged".</summary>
public sealed class ContainerUpdateRequest
{
    public long CpuShares { get; set; }
    public long Memory { get; set; }
    public int BlkioWeight { get; set; }
    public long CpuPeriod { get; set; }
    public long CpuQuota { get; set; }
    public long CpuRealtimePeriod { get; set; }
    public long CpuRealtimeRuntime { get; set; }
    public string? CpusetCpus { get; set; }
    public string? CpusetMems { get; set; }
    public long MemoryReservation { get; set; }
    public long MemorySwap { get; set; }
    public long NanoCpus { get; set; }
    public long? PidsLimit { get; set; }
    public long? KernelMemory { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
}
