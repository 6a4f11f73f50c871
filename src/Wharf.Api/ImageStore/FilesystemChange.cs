using System.Text.Json.Serialization;

namespace Wharf.Api.ImageStore;

/// <summary>One entry of GET /containers/{id}/changes. Kind: 0 modified, 1 added, 2 deleted.</summary>
public sealed class FilesystemChange
{
    [JsonPropertyName("Path")] public string Path { get; set; } = "";
    [JsonPropertyName("Kind")] public int Kind { get; set; }
}
