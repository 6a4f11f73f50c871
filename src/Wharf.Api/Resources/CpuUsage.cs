using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

public sealed class CpuUsage
{
    [JsonPropertyName("total_usage")] public ulong TotalUsage { get; set; }

    /// <summary>cgroup v1 only.</summary>
    [JsonPropertyName("percpu_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ulong>? PercpuUsage { get; set; }

    [JsonPropertyName("usage_in_kernelmode")] public ulong UsageInKernelmode { get; set; }
    [JsonPropertyName("usage_in_usermode")] public ulong UsageInUsermode { get; set; }
}
