using System.Text.Json.Serialization;

namespace Wharf.Engine.Images.Archive;

/// <summary>One entry of a docker-archive manifest.json.</summary>
internal sealed class DockerArchiveManifestEntry
{
    [JsonPropertyName("Config")] public string Config { get; set; } = "";
    [JsonPropertyName("RepoTags")] public List<string>? RepoTags { get; set; }
    [JsonPropertyName("Layers")] public List<string> Layers { get; set; } = [];
}

/// <summary>An OCI content descriptor (only the fields save/load use).</summary>
internal sealed class ArchiveDescriptor
{
    [JsonPropertyName("mediaType")] public string MediaType { get; set; } = "";
    [JsonPropertyName("digest")] public string Digest { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("annotations"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("platform"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ArchivePlatform? Platform { get; set; }
}

internal sealed class ArchivePlatform
{
    [JsonPropertyName("architecture")] public string Architecture { get; set; } = "";
    [JsonPropertyName("os")] public string Os { get; set; } = "";
}

/// <summary>OCI image manifest or Docker schema2 manifest (same shape for our purposes).</summary>
internal sealed class ArchiveManifest
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;
    [JsonPropertyName("mediaType"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? MediaType { get; set; }
    [JsonPropertyName("config")] public ArchiveDescriptor Config { get; set; } = new();
    [JsonPropertyName("layers")] public List<ArchiveDescriptor> Layers { get; set; } = [];
    /// <summary>Present when the document is really an index (then Layers is empty).</summary>
    [JsonPropertyName("manifests"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public List<ArchiveDescriptor>? Manifests { get; set; }
}

/// <summary>OCI image index (index.json).</summary>
internal sealed class ArchiveIndex
{
    [JsonPropertyName("schemaVersion")] public int SchemaVersion { get; set; } = 2;
    [JsonPropertyName("mediaType")] public string MediaType { get; set; } = MediaTypes.OciIndex;
    [JsonPropertyName("manifests")] public List<ArchiveDescriptor> Manifests { get; set; } = [];
}

internal sealed class OciLayout
{
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; set; } = "1.0.0";
}

internal static class MediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(List<DockerArchiveManifestEntry>))]
[JsonSerializable(typeof(ArchiveManifest))]
[JsonSerializable(typeof(ArchiveIndex))]
[JsonSerializable(typeof(OciLayout))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string>>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext;
