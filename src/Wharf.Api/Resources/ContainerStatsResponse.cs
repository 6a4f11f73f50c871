using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

/// <summary>GET /containers/{id}/stats: one sample in Docker's shape (snake_case names, as the Engine API).</summary>
public sealed class ContainerStatsResponse
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    /// <summary>RFC3339Nano; "0001-01-01T00:00:00Z" when not sampled.</summary>
    [JsonPropertyName("read")] public string Read { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("preread")] public string Preread { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("pids_stats")] public PidsStats PidsStats { get; set; } = new();
    [JsonPropertyName("blkio_stats")] public BlkioStats BlkioStats { get; set; } = new();
    [JsonPropertyName("num_procs")] public uint NumProcs { get; set; }
    [JsonPropertyName("storage_stats")] public Dictionary<string, ulong> StorageStats { get; set; } = [];
    [JsonPropertyName("cpu_stats")] public CpuStats CpuStats { get; set; } = new();
    [JsonPropertyName("precpu_stats")] public CpuStats PrecpuStats { get; set; } = new();
    [JsonPropertyName("memory_stats")] public MemoryStats MemoryStats { get; set; } = new();

    [JsonPropertyName("networks"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, NetworkStats>? Networks { get; set; }
}
