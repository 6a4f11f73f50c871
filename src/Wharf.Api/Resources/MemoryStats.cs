using System.Text.Json.Serialization;

namespace Wharf.Api.Resources;

/// <summary>Empty ({}) for a container that is not running, as Docker sends it.</summary>
public sealed class MemoryStats
{
    [JsonPropertyName("usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Usage { get; set; }
    [JsonPropertyName("max_usage"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong MaxUsage { get; set; }
    [JsonPropertyName("stats"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, ulong>? Stats { get; set; }
    [JsonPropertyName("failcnt"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Failcnt { get; set; }
    [JsonPropertyName("limit"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public ulong Limit { get; set; }
}
