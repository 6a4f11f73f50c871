using System.Text.Json.Serialization;

namespace Wharf.Api.ImageStore;

/// <summary>One build cache record of /system/df (BuildKit's shape; the legacy builder reports none).</summary>
public sealed class BuildCacheRecord
{
    [JsonPropertyName("ID")] public string Id { get; set; } = "";
    [JsonPropertyName("Type")] public string Type { get; set; } = "regular";
    [JsonPropertyName("Description")] public string Description { get; set; } = "";
    [JsonPropertyName("InUse")] public bool InUse { get; set; }
    [JsonPropertyName("Shared")] public bool Shared { get; set; }
    [JsonPropertyName("Size")] public long Size { get; set; }
    [JsonPropertyName("CreatedAt")] public string CreatedAt { get; set; } = "";
    [JsonPropertyName("UsageCount")] public int UsageCount { get; set; }
}
