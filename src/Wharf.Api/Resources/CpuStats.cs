using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

public sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")] public CpuUsage CpuUsage { get; set; } = new();
    [JsonPropertyName("system_cpu_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong SystemCpuUsage { get; set; }
    [JsonPropertyName("online_cpus"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public uint OnlineCpus { get; set; }
    [JsonPropertyName("throttling_data")] public ThrottlingData ThrottlingData { get; set; } = new();
}
