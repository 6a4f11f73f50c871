using System.Text.Json.Serialization;

namespace Wharf.Api.Images;

/// <summary>GET /distribution/{name}/json: the registry's descriptor for a reference and the platforms it serves.</summary>
public sealed class DistributionInspect
{
    public DistributionDescriptor Descriptor { get; set; } = new();
    public List<DistributionPlatformDto> Platforms { get; set; } = [];
}

/// <summary>An OCI descriptor as Docker writes it (lower-case members).</summary>
public sealed class DistributionDescriptor
{
    [JsonPropertyName("mediaType")] public string MediaType { get; set; } = "";
    [JsonPropertyName("digest")] public string Digest { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
}

/// <summary>An OCI platform (lower-case members; variant only when known).</summary>
public sealed class DistributionPlatformDto
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
    [JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Variant { get; set; }
}
