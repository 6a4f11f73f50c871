using System.Text.Json.Serialization;

namespace Wharf.Api.Volumes;

/// <summary>The JSON inside the X-Docker-Container-Path-Stat header (base64) of the archive endpoints.</summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    /// <summary>Go os.FileMode bits (1&lt;&lt;31 = directory, 1&lt;&lt;27 = symlink).</summary>
    [JsonPropertyName("mode")] public uint Mode { get; set; }
    [JsonPropertyName("mtime")] public string Mtime { get; set; } = "";
    [JsonPropertyName("linkTarget")] public string LinkTarget { get; set; } = "";
}
