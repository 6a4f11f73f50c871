using System.Text.Json.Serialization;

namespace Wharf.Api.Containers;

/// <summary>A mount requested through HostConfig.Mounts (`--mount`).</summary>
public sealed class MountSpec
{
    public string? Target { get; set; }
    public string? Source { get; set; }
    public string? Type { get; set; }
    public bool ReadOnly { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Consistency { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountBindOptions? BindOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountVolumeOptions? VolumeOptions { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public MountTmpfsOptions? TmpfsOptions { get; set; }
}
