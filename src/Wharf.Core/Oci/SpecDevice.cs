using System.Text.Json.Serialization;

namespace Wharf.Core.Oci;

/// <summary>linux.devices entry: a device node runc creates inside the container's /dev.</summary>
public sealed record SpecDevice
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    /// <summary>"c", "b" or "p".</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    [JsonPropertyName("major")] public long Major { get; init; }
    [JsonPropertyName("minor")] public long Minor { get; init; }
    [JsonPropertyName("fileMode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? FileMode { get; init; }
    [JsonPropertyName("uid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Uid { get; init; }
    [JsonPropertyName("gid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Gid { get; init; }
}
