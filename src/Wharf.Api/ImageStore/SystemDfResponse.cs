using System.Text.Json;
using System.Text.Json.Serialization;
using Wharf.Api.Containers;
using Wharf.Api.Images;

namespace Wharf.Api.ImageStore;

/// <summary>GET /system/df.</summary>
public sealed class SystemDfResponse
{
    [JsonPropertyName("LayersSize")] public long LayersSize { get; set; }
    [JsonPropertyName("Images")] public List<ImageSummary> Images { get; set; } = [];
    [JsonPropertyName("Containers")] public List<ContainerSummary> Containers { get; set; } = [];
    [JsonPropertyName("Volumes")] public List<JsonElement> Volumes { get; set; } = [];
    [JsonPropertyName("BuildCache")] public List<BuildCacheRecord> BuildCache { get; set; } = [];
}
